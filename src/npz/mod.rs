//! .npz archives: zip files of .npy members, as `np.savez` and
//! `np.savez_compressed` write them and `np.load` reads them.

mod read;
mod segment;
mod write;
pub(crate) mod zip;

pub(crate) use read::Member;
pub use read::{Entry, NpzFile};
pub use write::{Compression, NpzWriter, NpzWriterOptions};
