//! `npyio`: look inside, convert and verify NumPy .npy/.npz files without
//! Python. Built on the libnpyio Rust API.

mod common;
mod convert;
mod dtypes;
mod info;
#[cfg(test)]
mod man;
mod pack;
mod print;
mod verify;

use clap::{Args, Parser, Subcommand};
use common::*;
use npyio::npz::Compression;
use std::path::PathBuf;

const EXIT_CODES: &str = "\
Exit status:
  0  success
  1  a file is damaged, malformed or unsupported (verify: some file failed)
  2  usage error: bad option or value, unknown member, ambiguous archive
  3  operating-system error: missing file, permission denied, disk full

Files: FILE is a .npy file or an .npz archive, recognised by its first bytes;
FILE.npz:KEY names one member of an archive (KEY as np.load lists it, or
KEY.npy). Output is written to a temporary file and renamed into place, so
a failed command leaves an existing file untouched; a FIFO or a device is
written in place, and unpack only creates new files.";

#[derive(Parser)]
#[command(
    name = "npyio",
    version,
    about = "Look inside, convert and verify NumPy .npy/.npz files without Python",
    after_help = EXIT_CODES,
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Describe arrays: format version, dtype, shape, order, data offset
    /// and size; for archives, every member with its compression.
    #[command(after_help = "\
The dtype is shown as NumPy's repr (dtype('float64'), dtype('<U5'),
dtype([('a', '<i4'), ('b', '>f8')])); structured dtypes also get a table of
their fields. With --json the output is one JSON array with an object per
FILE: path, kind (npy/npz), version, dtype {repr, str, descr, name, itemsize,
fields}, shape, fortran_order, data_offset, count, nbytes; archives list
members with name, key, compression, compressed_size, size, ratio
(size / compressed_size) and crc32, plus the same array fields, or error.")]
    Info {
        /// .npy files, .npz archives, or FILE.npz:KEY members.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// Print JSON for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Print the first rows of an array as NumPy's repr(a[:N]) does.
    #[command(after_help = "\
Prints exactly what print(repr(a[:N])) prints in Python with NumPy's
default print options (np.get_printoptions()): float64 values as 1.5 or
3.14159265, scientific notation when NumPy would use it, strings quoted,
records as tuples, datetimes as ISO strings, and arrays of more than
--threshold elements summarised with '...'. N may be negative: all but the
last -N rows. A 0-d array prints whole. An archive with several members
prints each, after a ==> FILE:KEY <== line.")]
    Head {
        /// A .npy file, an archive, or FILE.npz:KEY.
        #[arg(value_name = "FILE[:MEMBER]", required = true)]
        files: Vec<String>,
        /// Rows along axis 0 (a[:N]).
        #[arg(
            short = 'n',
            long = "rows",
            default_value_t = 10,
            allow_negative_numbers = true
        )]
        n: i64,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Print a whole array (or a slice along axis 0) as NumPy's repr does,
    /// never summarised unless --threshold is given.
    #[command(after_help = "\
Prints exactly what print(repr(a[SLICE])) prints in Python after
np.set_printoptions(threshold=sys.maxsize), reading the array a slab of rows
at a time: output starts at once and memory stays small for any size.
SLICE is Python's START:STOP[:STEP] along axis 0 (e.g. 100:200, -5:, ::10).")]
    Cat {
        /// A .npy file, an archive, or FILE.npz:KEY.
        #[arg(value_name = "FILE[:MEMBER]", required = true)]
        files: Vec<String>,
        /// Rows along axis 0, as a Python slice START:STOP[:STEP].
        #[arg(long, value_name = "SLICE", allow_hyphen_values = true)]
        slice: Option<String>,
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Convert between .npy files, .npz members and text tables.
    #[command(after_help = "\
IN and OUT are FILE.npy, FILE.npz, FILE.npz:KEY, or a text table named
.csv, .tsv, .txt or .dat. Arrays and tables are streamed in bounded memory
(a Fortran-order archive member is read whole); a table bound for an
archive is parsed into a temporary .npy next to OUT first, so it needs
that much free disk space, and the temporary file is removed.
  .npy/.npz member -> .npy      np.save(OUT, a)
  array -> OUT.npz              np.savez(OUT, KEY=a), a new archive; KEY is
                                IN's name without .npy, or its member key
  array -> OUT.npz:KEY          adds or replaces KEY; other members are kept
  IN.npz -> OUT.npz             every member (e.g. to recompress)
  array -> text                 np.savetxt(OUT, a, fmt, delimiter, header)
  text -> .npy / .npz[:KEY]     np.loadtxt(IN, dtype, delimiter, skiprows,
                                usecols, comments, max_rows)
  --genfromtxt text -> ...      np.genfromtxt(IN, dtype, delimiter,
                                skip_header, usecols, comments, max_rows,
                                missing_values, filling_values, names)
Delimiters default to ',' for .csv and a tab for .tsv, otherwise NumPy's
defaults (runs of whitespace when reading, one space when writing).")]
    Convert {
        /// Input: FILE.npy, FILE.npz[:KEY], or a text table.
        #[arg(value_name = "IN")]
        input: String,
        /// Output: FILE.npy, FILE.npz[:KEY], or a text table.
        #[arg(value_name = "OUT")]
        output: String,
        /// Deflate-compress .npz members (np.savez_compressed).
        #[arg(long)]
        compress: bool,
        #[command(flatten)]
        text: TextOpts,
        #[command(flatten)]
        bar: BarArgs,
    },
    /// Pack .npy files into an .npz archive (np.savez / np.savez_compressed).
    #[command(after_help = "\
Each IN.npy becomes the member named after the file (w.npy -> key 'w');
KEY=FILE.npy names it. The archive is byte-identical to np.savez's when
not compressed.")]
    Pack {
        /// The archive to write.
        #[arg(value_name = "OUT.npz")]
        output: PathBuf,
        /// The arrays: FILE.npy or KEY=FILE.npy.
        #[arg(value_name = "IN.npy", required = true)]
        inputs: Vec<String>,
        /// Deflate-compress the members (np.savez_compressed).
        #[arg(long)]
        compress: bool,
        /// Zstandard-compress the members (zip method 93: np.load reads
        /// them with Python 3.14's zipfile, or backports.zstd's).
        #[arg(long, conflicts_with = "compress")]
        zstd: bool,
        /// Compression level: 0-9 for --compress (default 6), 1-22 or a
        /// negative fast level for --zstd (default 1).
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        level: Option<i32>,
        #[command(flatten)]
        bar: BarArgs,
    },
    /// Unpack an .npz archive into a directory of .npy files.
    #[command(after_help = "\
Each array member KEY is written to DIR/KEY.npy (byte-identical to
np.save(DIR/KEY.npy, z[KEY])); members that are not arrays, however short,
are written as the bytes np.load returns for them, directory entries as
directories. DIR is created if needed. Every file is created new, inside
DIR: a name already there (a file, or a symlink, which is never followed)
stops the command with exit 3 before anything is written. Names that would
leave DIR, and two members that would be written to one path (a member 'x'
holding an array and 'x.npy'), are refused with exit 1.")]
    Unpack {
        /// The archive.
        #[arg(value_name = "IN.npz")]
        input: PathBuf,
        /// Where to write the .npy files.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Only these members (default: all).
        #[arg(value_name = "KEY")]
        keys: Vec<String>,
        #[command(flatten)]
        bar: BarArgs,
    },
    /// Check files completely: headers, sizes, every data byte, every CRC.
    #[command(after_help = "\
Prints one line per file, 'FILE: OK (...)' or 'FILE: FAILED: reason', and
exits with 0 if every file is good and 1 otherwise. Checks: the .npy header
(magic, version, dictionary, dtype, shape), that the data is all there and
readable; for archives the zip structure, every member's local header, its
.npy header, all its bytes (inflated for deflate members) and its CRC-32.")]
    Verify {
        /// .npy files and .npz archives.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        #[command(flatten)]
        bar: BarArgs,
    },
}

/// When to draw the progress bar on stderr.
#[derive(Args, Clone, Copy, Debug)]
struct BarArgs {
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
    /// Show the progress bar even when stderr is not a terminal, from the
    /// start, with a last frame when done (default: on a terminal only,
    /// after half a second).
    #[arg(long, conflicts_with = "quiet")]
    progress: bool,
}

impl BarArgs {
    fn mode(self) -> Bar {
        if self.quiet {
            Bar::Never
        } else if self.progress {
            Bar::Always
        } else {
            Bar::Auto
        }
    }
}

/// NumPy print options (np.set_printoptions).
#[derive(Args, Clone, Debug)]
struct PrintArgs {
    /// Digits after the decimal point for floats (precision).
    #[arg(long, default_value_t = 8)]
    precision: i32,
    /// How precision applies: maxprec, unique, fixed or maxprec_equal.
    #[arg(long, default_value = "maxprec", value_parser = ["maxprec", "unique", "fixed", "maxprec_equal"], hide_possible_values = true)]
    floatmode: String,
    /// Never use scientific notation for small numbers (suppress=True).
    #[arg(long)]
    suppress: bool,
    /// Sign of positive numbers: '-' (none), '+' or ' ' (a space).
    #[arg(long, default_value = "-", value_parser = ["-", "+", " "], allow_hyphen_values = true, hide_possible_values = true)]
    sign: String,
    /// Line width (linewidth).
    #[arg(long, default_value_t = 75)]
    linewidth: usize,
    /// Summarise arrays with more elements than this (threshold).
    #[arg(long)]
    threshold: Option<u64>,
    /// Items at each edge of a summarised axis (edgeitems).
    #[arg(long, default_value_t = 3)]
    edgeitems: usize,
}

impl PrintArgs {
    fn options(&self, default_threshold: u64) -> print::PrintOptions {
        print::PrintOptions {
            precision: self.precision,
            floatmode: match self.floatmode.as_str() {
                "unique" => print::FloatMode::Unique,
                "fixed" => print::FloatMode::Fixed,
                "maxprec_equal" => print::FloatMode::MaxprecEqual,
                _ => print::FloatMode::Maxprec,
            },
            suppress: self.suppress,
            sign: self.sign.chars().next().unwrap_or('-'),
            linewidth: self.linewidth,
            threshold: self.threshold.unwrap_or(default_threshold),
            edgeitems: self.edgeitems,
        }
    }
}

/// np.loadtxt / np.savetxt options.
#[derive(Args, Clone, Debug)]
struct TextOpts {
    /// Column delimiter (one character; \t for a tab).
    #[arg(long)]
    delimiter: Option<String>,
    /// savetxt format: one for every column (%.18e) or the whole row, or
    /// repeated once per column.
    #[arg(long)]
    fmt: Vec<String>,
    /// loadtxt: lines to skip at the start.
    #[arg(long, default_value_t = 0)]
    skiprows: u64,
    /// loadtxt: columns to read, e.g. 0,2,-1.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    usecols: Option<Vec<i64>>,
    /// loadtxt: result dtype, e.g. float32, int64, '<i4', "[('x','<f8'),('n','<i4')]".
    #[arg(long)]
    dtype: Option<String>,
    /// Comment marker (loadtxt: '#'; savetxt header prefix: '# '); '' for none.
    #[arg(long)]
    comments: Option<String>,
    /// loadtxt: read at most this many rows.
    #[arg(long)]
    max_rows: Option<u64>,
    /// savetxt: header text (written after the comment marker).
    #[arg(long)]
    header: Option<String>,
    /// Read the table as np.genfromtxt (missing values, filling values,
    /// names) instead of np.loadtxt; --skiprows is then skip_header.
    #[arg(long)]
    genfromtxt: bool,
    /// genfromtxt: extra strings that mark a missing value, comma-separated
    /// (an empty field always does), e.g. NA,n/a.
    #[arg(long, value_name = "STRINGS", requires = "genfromtxt")]
    missing_values: Option<String>,
    /// genfromtxt: the value missing fields get in every column (default:
    /// nan for floats, -1 for integers).
    #[arg(
        long,
        value_name = "VALUE",
        requires = "genfromtxt",
        allow_hyphen_values = true
    )]
    filling_values: Option<String>,
    /// genfromtxt: take field names from the first line (names=True): the
    /// result is a structured array.
    #[arg(long, requires = "genfromtxt")]
    names: bool,
}

fn parse_slice(s: &str) -> CliResult<print::Selection> {
    let parts: Vec<&str> = s.split(':').collect();
    let num = |t: &str| -> CliResult<Option<i64>> {
        let t = t.trim();
        if t.is_empty() {
            Ok(None)
        } else {
            t.parse()
                .map(Some)
                .map_err(|_| CliError::usage(format!("--slice {s}: '{t}' is not an integer")))
        }
    };
    let sel = match parts.len() {
        1 => {
            let i = num(parts[0])?.ok_or_else(|| CliError::usage("--slice: empty"))?;
            print::Selection {
                start: Some(i),
                stop: Some(if i == -1 { i64::MAX } else { i + 1 }),
                step: 1,
            }
        }
        2 | 3 => print::Selection {
            start: num(parts[0])?,
            stop: num(parts[1])?,
            step: if parts.len() == 3 {
                num(parts[2])?.unwrap_or(1)
            } else {
                1
            },
        },
        _ => {
            return Err(CliError::usage(format!(
                "--slice {s}: use START:STOP[:STEP]"
            )))
        }
    };
    if sel.step == 0 {
        return Err(CliError::usage("--slice: slice step cannot be zero"));
    }
    Ok(sel)
}

/// Print arrays for head/cat: each file in turn, each member of an archive
/// in turn, streamed. An archive is opened once, however many members it
/// has.
fn show(files: &[String], sel: print::Selection, o: &print::PrintOptions) -> CliResult<i32> {
    use std::io::Write;
    let inputs = files
        .iter()
        .map(|a| parse_input(a, false))
        .collect::<CliResult<Vec<_>>>()?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let werr = |e| CliError::io("<stdout>", e);
    let mut many = inputs.len() > 1;
    let mut printed = 0usize;
    let mut one = |label: &str, f: &npyio::NpyFile, many: bool, out: &mut dyn Write| -> CliResult {
        if many {
            if printed > 0 {
                writeln!(out).map_err(werr)?;
            }
            writeln!(out, "==> {label} <==").map_err(werr)?;
        }
        printed += 1;
        print::print_repr(f, sel, o, out)?;
        Ok(())
    };
    for inp in &inputs {
        match inp {
            Input::Npz(p) => {
                let z = npyio::npz::NpzFile::open(p)?;
                if z.is_empty() {
                    return Err(CliError::bad(format!(
                        "{}: the archive is empty",
                        p.display()
                    )));
                }
                many |= z.len() > 1;
                for (i, e) in z.entries().iter().enumerate() {
                    let f = z.open_member_at(i)?;
                    one(&format!("{}:{}", p.display(), e.key), &f, many, &mut out)?;
                }
            }
            _ => {
                let f = open_array(inp)?;
                one(&inp.display(), &f, many, &mut out)?;
            }
        }
    }
    out.flush().map_err(werr)?;
    Ok(EXIT_OK)
}

fn run(cli: Cli) -> CliResult<i32> {
    match cli.cmd {
        Cmd::Info { files, json } => info::run(&files, json),
        Cmd::Head { files, n, print } => {
            let sel = print::Selection {
                start: None,
                stop: Some(n),
                step: 1,
            };
            show(&files, sel, &print.options(1000))
        }
        Cmd::Cat {
            files,
            slice,
            print,
        } => {
            let sel = match slice {
                Some(s) => parse_slice(&s)?,
                None => print::Selection::ALL,
            };
            show(&files, sel, &print.options(u64::MAX))
        }
        Cmd::Convert {
            input,
            output,
            compress,
            text,
            bar,
        } => {
            let t = convert::TextArgs {
                delimiter: text.delimiter,
                fmt: text.fmt,
                skiprows: text.skiprows,
                usecols: text.usecols,
                dtype: text.dtype,
                comments: text.comments,
                max_rows: text.max_rows,
                header: text.header,
                genfromtxt: text.genfromtxt,
                missing_values: text.missing_values,
                filling_values: text.filling_values,
                names: text.names,
            };
            convert::run(&input, &output, &t, compress, bar.mode())
        }
        Cmd::Pack {
            output,
            inputs,
            compress,
            zstd,
            level,
            bar,
        } => {
            let c = match (compress, zstd) {
                (true, _) => Compression::Deflate,
                (_, true) => Compression::Zstd,
                _ => Compression::Stored,
            };
            pack::pack(&output, &inputs, c, level, bar.mode())
        }
        Cmd::Unpack {
            input,
            dir,
            keys,
            bar,
        } => pack::unpack(&input, &dir, &keys, bar.mode()),
        Cmd::Verify { files, bar } => verify::run(&files, bar.mode()),
    }
}

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.msg.contains("Broken pipe") {
                // `npyio cat big.npy | head`: the reader left; not an error.
                0
            } else {
                eprintln!("npyio: {}", e.msg);
                e.code
            }
        }
    };
    std::process::exit(code);
}
