//! .npz archives: zip files of .npy members, as `np.savez` and
//! `np.savez_compressed` write them and `np.load` reads them.

mod blocks;
mod codec;
mod compressed;
mod compression;
mod directory;
mod inflate_par;
mod member;
mod raw_deflate;
mod read;
mod segment;
mod write;
pub(crate) mod zip;
mod zstd_read;
mod zstd_write;

pub use directory::Entry;
pub use read::NpzFile;
pub use write::{Compression, NpzWriter, NpzWriterOptions};
