//! Writing files without ever damaging one.
//!
//! Every file is written through a temporary file in its own directory
//! (`.NAME.zh-clean-PID-N.tmp`), synced, then renamed over the target: a
//! crash leaves the old file or the new one, never half of either. What
//! `--in-place` does with the special cases:
//!
//! - a **symbolic link** is followed: the file it points to is replaced and
//!   the link stays a link;
//! - a file with **several hard links** is refused: renaming would split it
//!   from its other names (clean it to `--output-dir` instead);
//! - anything **not a regular file** (FIFO, device, socket) is refused;
//! - the new file keeps the old one's **permission bits** (never its
//!   set-user-ID, set-group-ID or sticky bits) and, where the process may,
//!   its owner and group;
//! - a file **changed while it was being cleaned** (size, modification
//!   time or inode differ from when it was opened) is left as it is, with an
//!   error;
//! - temporary files are removed on error and on SIGINT/SIGTERM/SIGHUP, and
//!   a walk never takes one for input.

use std::fs;
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use crate::input::Compression;

/// Temporary files being written, removed by the signal handler.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Removes the temporary files on SIGINT, SIGTERM and SIGHUP, then exits
/// with 128 + 2 (as an interrupted shell command does).
pub fn clean_up_on_signals() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(list) = TEMPORARIES.lock() {
            for p in list.iter() {
                let _ = fs::remove_file(p);
            }
        }
        eprintln!("zh-clean: interrupted; files not yet renamed into place were left as they were");
        std::process::exit(130);
    });
}

fn register(p: &Path) {
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.push(p.to_path_buf());
    }
}

fn unregister(p: &Path) {
    if let Ok(mut list) = TEMPORARIES.lock() {
        list.retain(|q| q != p);
    }
}

/// What a file was when it was opened, to see whether it changed before
/// it is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl Snapshot {
    pub fn of(meta: &fs::Metadata) -> Snapshot {
        Snapshot { dev: meta.dev(), ino: meta.ino(), len: meta.len(), modified: meta.modified().ok() }
    }
}

/// Checks that `path` may be replaced in place; returns the file to write
/// (the target of a symbolic link) and its snapshot.
pub fn in_place_target(path: &Path) -> Result<(PathBuf, Snapshot), String> {
    let name = path.display();
    let real = fs::canonicalize(path).map_err(|e| format!("{name}: {e}"))?;
    let meta = fs::metadata(&real).map_err(|e| format!("{name}: {e}"))?;
    if !meta.file_type().is_file() {
        return Err(format!("{name}: not a regular file; --in-place only replaces regular files"));
    }
    if meta.nlink() > 1 {
        return Err(format!(
            "{name}: has {} hard links, which replacing it would break; use --output-dir",
            meta.nlink()
        ));
    }
    Ok((real, Snapshot::of(&meta)))
}

/// A writer that compresses as the target's name says.
enum Encoder<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    fn new(inner: W, c: Compression) -> io::Result<Encoder<W>> {
        Ok(match c {
            Compression::None => Encoder::Plain(inner),
            Compression::Gzip => {
                Encoder::Gzip(flate2::write::GzEncoder::new(inner, flate2::Compression::default()))
            }
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    fn finish(self) -> io::Result<W> {
        match self {
            Encoder::Plain(w) => Ok(w),
            Encoder::Gzip(e) => e.finish(),
            Encoder::Zstd(e) => e.finish(),
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Zstd(e) => e.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(e) => e.flush(),
            Encoder::Zstd(e) => e.flush(),
        }
    }
}

/// Why writing a file failed: the filling failed (its message is the
/// caller's), or the file system refused (the message names the file).
pub enum WriteError<E> {
    Fill(E),
    Io(String),
}

/// Writes `path` atomically: `fill` writes the content (compressed as
/// `compression` says); the temporary file is synced and renamed over
/// `path` only when everything succeeded and, with `before`, the file is
/// still what it was when it was opened.
pub fn write_atomically<T, E>(
    path: &Path,
    compression: Compression,
    before: Option<&Snapshot>,
    fill: impl FnOnce(&mut dyn Write) -> Result<T, E>,
) -> Result<T, WriteError<E>> {
    let name = path.display().to_string();
    let io_err = |what: &str, e: io::Error| WriteError::Io(format!("{name}: {what}: {e}"));
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| WriteError::Io(format!("{}: {e}", dir.display())))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{file_name}.zh-clean-{}-{n}.tmp", std::process::id()));
    register(&tmp);
    let result = (|| {
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| io_err("creating a temporary file", e))?;
        let mut w = Encoder::new(io::BufWriter::with_capacity(1 << 16, file), compression)
            .map_err(|e| io_err("writing", e))?;
        let value = fill(&mut w).map_err(WriteError::Fill)?;
        let buffered = w.finish().map_err(|e| io_err("writing", e))?;
        let file = buffered.into_inner().map_err(|e| io_err("writing", e.into_error()))?;
        // The old file's permissions (without set-ID and sticky bits) and,
        // where allowed, its owner.
        if let Ok(meta) = fs::metadata(path) {
            let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
            let mode = meta.mode() & 0o777;
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(|e| io_err("setting permissions", e))?;
        }
        file.sync_all().map_err(|e| io_err("writing", e))?;
        drop(file);
        if let Some(before) = before {
            let now = fs::metadata(path).map(|m| Snapshot::of(&m));
            if now.as_ref().ok() != Some(before) {
                return Err(WriteError::Io(format!(
                    "{name}: changed while it was being cleaned; left as it is"
                )));
            }
        }
        fs::rename(&tmp, path).map_err(|e| io_err("renaming into place", e))?;
        Ok(value)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    unregister(&tmp);
    result
}

/// A writer that only checks whether what is written equals `original`.
pub struct Compare<R: io::Read> {
    original: R,
    pub differs: bool,
    buf: Vec<u8>,
}

impl<R: io::Read> Compare<R> {
    pub fn new(original: R) -> Compare<R> {
        Compare { original, differs: false, buf: Vec::new() }
    }

    /// Whether the whole output equals the whole original.
    pub fn finish(mut self) -> io::Result<bool> {
        if self.differs {
            return Ok(true);
        }
        let mut one = [0u8; 1];
        Ok(self.original.read(&mut one)? != 0)
    }
}

impl<R: io::Read> Write for Compare<R> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if !self.differs {
            self.buf.resize(data.len(), 0);
            let mut got = 0;
            while got < data.len() {
                let n = self.original.read(&mut self.buf[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            self.differs = got < data.len() || self.buf[..got] != *data;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_sees_any_difference() {
        let check = |orig: &[u8], chunks: &[&[u8]]| {
            let mut c = Compare::new(orig);
            for ch in chunks {
                c.write_all(ch).unwrap();
            }
            c.finish().unwrap()
        };
        assert!(!check(b"abc", &[b"a", b"bc"]));
        assert!(check(b"abc", &[b"a", b"b"]));
        assert!(check(b"ab", &[b"a", b"bc"]));
        assert!(check(b"abc", &[b"abd"]));
        assert!(!check(b"", &[]));
    }
}
