//! Python bindings of zh-clean: the extension module `zh_clean._zh_clean`.
//!
//! The options arrive as keyword arguments of strings, booleans and lists,
//! are checked here (a `ValueError` names the bad value and the accepted
//! ones) and become a [`zh_clean::Options`]. Text crosses the boundary once
//! each way; cleaning runs with the interpreter released, on worker
//! threads for `clean_many`, and the output keeps the input's order.

use std::borrow::Cow;
use std::sync::{Mutex, OnceLock};

use pyo3::exceptions::{PyTypeError, PyUnicodeDecodeError, PyUnicodeWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyMemoryView, PyString, PyTuple};
use zh_clean::decode::EncodingChoice;
use zh_clean::opencc::Config;
use zh_clean::segment::Segmenter;
use zh_clean::{Backend, CjkLatinSpace, Cleaner, Options, Profile, QuoteStyle, Stage, Stats, Variants};

/// Texts shorter than this are cleaned without releasing the interpreter:
/// releasing and taking it back costs more than cleaning them.
const DETACH_MIN_BYTES: usize = 512;

const PROFILES: &[&str] = &["hk", "tw", "cn"];
const SPACES: &[&str] = &["auto", "remove", "keep", "pangu"];
const QUOTES: &[&str] = &["corner", "curly", "keep"];
const VARIANTS: &[&str] = &["auto", "hk", "tw", "twp", "cn", "none"];
const BACKENDS: &[&str] = &["builtin"];
const STAGES: &[&str] = &["encoding", "hygiene", "structure", "spacing", "punctuation", "variants"];
const OPTION_NAMES: &[&str] = &[
    "profile",
    "cjk_latin_space",
    "quotes",
    "middle_dot",
    "variants",
    "convert",
    "backend",
    "only",
    "skip",
    "main_content",
    "dedupe",
    "user_dicts",
    "fine_words",
];
/// The options of a cleaner only: they change what :meth:`Cleaner.segment`
/// gives, and `clean` does not segment.
const SEGMENT_OPTIONS: &[&str] = &["user_dicts", "fine_words"];

/// `'a', 'b' or 'c'`.
fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}").replace('"', "'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

fn bad_value(option: &str, value: &str, accepted: &[&str]) -> PyErr {
    PyValueError::new_err(format!("invalid {option} {}: expected {}", py_repr(value), quoted_list(accepted)))
}

/// A string as Python's `repr` writes it (close enough for messages).
fn py_repr(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn pick<T: Copy>(option: &str, value: &str, table: &[(&str, T)]) -> PyResult<T> {
    let lower = value.to_ascii_lowercase();
    table.iter().find(|(name, _)| *name == lower).map(|(_, v)| *v).ok_or_else(|| {
        let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
        bad_value(option, value, &names)
    })
}

fn profile_name(p: Profile) -> &'static str {
    match p {
        Profile::Hk => "hk",
        Profile::Tw => "tw",
        Profile::Cn => "cn",
    }
}

fn space_name(s: CjkLatinSpace) -> &'static str {
    match s {
        CjkLatinSpace::Auto => "auto",
        CjkLatinSpace::Remove => "remove",
        CjkLatinSpace::Keep => "keep",
        CjkLatinSpace::Pangu => "pangu",
    }
}

fn quotes_name(q: QuoteStyle) -> &'static str {
    match q {
        QuoteStyle::Corner => "corner",
        QuoteStyle::Curly => "curly",
        QuoteStyle::Keep => "keep",
    }
}

fn variants_name(v: Variants) -> &'static str {
    match v {
        Variants::Auto => "auto",
        Variants::Hk => "hk",
        Variants::Tw => "tw",
        Variants::Twp => "twp",
        Variants::Cn => "cn",
        Variants::None => "none",
    }
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Builtin => "builtin",
        Backend::OpenccSys => "opencc-sys",
    }
}

/// Stage names from a comma-separated string or an iterable of strings.
fn stages(option: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<Stage>> {
    let names: Vec<String> = if let Ok(s) = value.cast::<PyString>() {
        s.to_cow()?.split(',').map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect()
    } else {
        let mut names = Vec::new();
        for item in value.try_iter().map_err(|_| {
            PyTypeError::new_err(format!("{option} must be a string or an iterable of strings"))
        })? {
            let item = item?;
            let s = item.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "{option} must be a string or an iterable of strings, not one holding {}",
                    item.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                ))
            })?;
            names.push(s.to_cow()?.trim().to_owned());
        }
        names
    };
    let mut out = Vec::new();
    for name in names {
        let stage =
            name.parse::<Stage>().map_err(|_| bad_value(&format!("{option} stage"), &name, STAGES))?;
        if !out.contains(&stage) {
            out.push(stage);
        }
    }
    Ok(out)
}

/// The options of a cleaner as given, checked, and the library options
/// they make.
struct Settings {
    options: Options,
    user_dicts: Vec<String>,
    /// The keyword arguments as given, for pickling.
    given: Vec<(String, Py<PyAny>)>,
}

impl Settings {
    fn from_kwargs(kwargs: Option<&Bound<'_, PyDict>>, allow_segment: bool) -> PyResult<Settings> {
        let mut given: Vec<(String, Bound<'_, PyAny>)> = Vec::new();
        if let Some(kwargs) = kwargs {
            for (k, v) in kwargs.iter() {
                let key = k.cast::<PyString>()?.to_cow()?.into_owned();
                let segment_only = SEGMENT_OPTIONS.contains(&key.as_str());
                if !OPTION_NAMES.contains(&key.as_str()) || (segment_only && !allow_segment) {
                    let names: Vec<&str> = OPTION_NAMES
                        .iter()
                        .copied()
                        .filter(|n| allow_segment || !SEGMENT_OPTIONS.contains(n))
                        .collect();
                    return Err(PyTypeError::new_err(format!(
                        "unexpected keyword argument {} (expected one of {})",
                        py_repr(&key),
                        names.join(", ")
                    )));
                }
                given.push((key, v));
            }
        }
        let get = |name: &str| given.iter().find(|(k, v)| k == name && !v.is_none()).map(|(_, v)| v);
        let string = |name: &str| -> PyResult<Option<String>> {
            match get(name) {
                None => Ok(None),
                Some(v) => match v.cast::<PyString>() {
                    Ok(s) => Ok(Some(s.to_cow()?.into_owned())),
                    Err(_) => Err(PyTypeError::new_err(format!(
                        "{name} must be a string, not {}",
                        v.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                    ))),
                },
            }
        };
        let boolean = |name: &str| -> PyResult<bool> {
            match get(name) {
                None => Ok(false),
                Some(v) => v.extract::<bool>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "{name} must be True or False, not {}",
                        v.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                    ))
                }),
            }
        };

        let profile = match string("profile")? {
            None => Profile::Hk,
            Some(p) => pick("profile", &p, &[("hk", Profile::Hk), ("tw", Profile::Tw), ("cn", Profile::Cn)])?,
        };
        let mut o = Options::new(profile);
        if let Some(s) = string("cjk_latin_space")? {
            o = o.cjk_latin_space(pick(
                "cjk_latin_space",
                &s,
                &[
                    ("auto", CjkLatinSpace::Auto),
                    ("remove", CjkLatinSpace::Remove),
                    ("keep", CjkLatinSpace::Keep),
                    ("pangu", CjkLatinSpace::Pangu),
                ],
            )?);
        }
        if let Some(q) = string("quotes")? {
            o = o.quotes(pick(
                "quotes",
                &q,
                &[("corner", QuoteStyle::Corner), ("curly", QuoteStyle::Curly), ("keep", QuoteStyle::Keep)],
            )?);
        }
        if let Some(d) = string("middle_dot")? {
            let mut chars = d.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => o = o.middle_dot(c),
                _ => {
                    return Err(PyValueError::new_err(format!(
                        "invalid middle_dot {}: expected exactly one character, such as '·' or '‧'",
                        py_repr(&d)
                    )));
                }
            }
        }
        let variants = string("variants")?;
        let convert = string("convert")?;
        if variants.is_some() && convert.is_some() {
            return Err(PyValueError::new_err(
                "variants and convert are both set: convert runs one OpenCC configuration \
                 instead of the variants mode; choose one",
            ));
        }
        if let Some(v) = variants {
            o = o.variants(pick(
                "variants",
                &v,
                &[
                    ("auto", Variants::Auto),
                    ("hk", Variants::Hk),
                    ("tw", Variants::Tw),
                    ("twp", Variants::Twp),
                    ("cn", Variants::Cn),
                    ("none", Variants::None),
                ],
            )?);
        }
        if let Some(c) = convert {
            let config = c.parse::<Config>().map_err(|_| {
                let names: Vec<&str> = Config::ALL.iter().map(|c| c.name()).collect();
                bad_value("convert", &c, &names)
            })?;
            o = o.convert(config);
        }
        if let Some(b) = string("backend")? {
            let backend =
                pick("backend", &b, &[("builtin", Backend::Builtin), ("opencc-sys", Backend::OpenccSys)])?;
            if backend == Backend::OpenccSys {
                return Err(PyValueError::new_err(
                    "invalid backend 'opencc-sys': this build of zh_clean has only 'builtin' \
                     (the C++ OpenCC library is available to the Rust crate's `opencc-sys` feature)",
                ));
            }
            o = o.backend(backend);
        }
        o = o.main_content(boolean("main_content")?).dedupe(boolean("dedupe")?);
        o = o.fine_words(boolean("fine_words")?);
        if let Some(only) = get("only") {
            let stages = stages("only", only)?;
            if stages.is_empty() {
                return Err(PyValueError::new_err(format!(
                    "invalid only: no stage given (expected some of {})",
                    quoted_list(STAGES)
                )));
            }
            o = o.only(&stages);
        }
        if let Some(skip) = get("skip") {
            for s in stages("skip", skip)? {
                o = o.stage(s, false);
            }
        }
        let mut user_dicts = Vec::new();
        if let Some(dicts) = get("user_dicts") {
            if dicts.is_instance_of::<PyString>() || dicts.is_instance_of::<PyBytes>() {
                return Err(PyTypeError::new_err("user_dicts must be a list of paths, not a single path"));
            }
            let fspath = dicts.py().import("os")?.getattr("fspath")?;
            for d in dicts.try_iter()? {
                let p = fspath.call1((d?,))?;
                user_dicts
                    .push(p.extract::<String>().map_err(|_| {
                        PyTypeError::new_err("user_dicts must hold str paths or os.PathLike")
                    })?);
            }
        }
        let given = given.into_iter().map(|(k, v)| (k, v.unbind())).collect();
        Ok(Settings { options: o, user_dicts, given })
    }

    fn cleaner(&self) -> PyResult<Cleaner> {
        let mut cleaner =
            Cleaner::try_new(self.options.clone()).map_err(|e| PyValueError::new_err(e.to_string()))?;
        if !self.user_dicts.is_empty() {
            let mut segmenter = Segmenter::new();
            for path in &self.user_dicts {
                let loaded = std::fs::File::open(path)
                    .and_then(|f| segmenter.load_user_dict(std::io::BufReader::new(f)));
                if let Err(e) = loaded {
                    let kind = e.kind();
                    let err = PyErr::from(std::io::Error::new(kind, format!("user dictionary {path}: {e}")));
                    return Err(err);
                }
            }
            cleaner = cleaner.with_segmenter(segmenter);
        }
        Ok(cleaner)
    }
}

/// What cleaning one text gave.
enum Cleaned {
    /// The input, unchanged: the caller hands back the same object.
    Same,
    /// New text.
    New(String),
}

fn clean_one(cleaner: &Cleaner, text: &str) -> Cleaned {
    match cleaner.clean_cow(text) {
        Cow::Borrowed(b) if b.len() == text.len() => Cleaned::Same,
        Cow::Borrowed(b) => Cleaned::New(b.to_owned()),
        Cow::Owned(s) => Cleaned::New(s),
    }
}

fn to_py<'py>(py: Python<'py>, original: &Bound<'py, PyString>, cleaned: Cleaned) -> Bound<'py, PyString> {
    match cleaned {
        Cleaned::Same => original.clone(),
        Cleaned::New(s) => PyString::new(py, &s),
    }
}

fn text_arg<'a, 'py>(text: &'a Bound<'py, PyAny>) -> PyResult<&'a Bound<'py, PyString>> {
    text.cast::<PyString>().map_err(|_| {
        let ty = text.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        let hint = if text.is_instance_of::<PyBytes>() || ty == "bytearray" {
            " (decode bytes first, e.g. with zh_clean.decode(data))"
        } else {
            ""
        };
        PyTypeError::new_err(format!("expected str, not {ty}{hint}"))
    })
}

fn clean_py<'py>(
    py: Python<'py>,
    cleaner: &Cleaner,
    text: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    let s = text_arg(text)?;
    let input = s.to_cow()?;
    let cleaned = if input.len() < DETACH_MIN_BYTES {
        clean_one(cleaner, &input)
    } else {
        let input: &str = &input;
        py.detach(|| clean_one(cleaner, input))
    };
    Ok(to_py(py, s, cleaned))
}

fn stats_dict<'py>(py: Python<'py>, s: &Stats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in [
        ("bytes_in", s.bytes_in),
        ("bytes_out", s.bytes_out),
        ("lines_in", s.lines_in),
        ("lines_out", s.lines_out),
        ("encoding_repairs", s.encoding_repairs),
        ("hygiene_changes", s.hygiene_changes),
        ("paragraphs", s.paragraphs),
        ("list_items", s.list_items),
        ("headings", s.headings),
        ("code_blocks", s.code_blocks),
        ("lines_joined", s.lines_joined),
        ("spaces_removed", s.spaces_removed),
        ("punctuation_changed", s.punctuation_changed),
        ("characters_converted", s.characters_converted),
    ] {
        d.set_item(k, v)?;
    }
    Ok(d)
}

/// The cleaning pipeline, configured once and reused.
///
/// ``Cleaner(**options)`` takes the options of :func:`zh_clean.clean`, and
/// two for :meth:`segment`: ``user_dicts``, jieba user dictionaries
/// (paths), and ``fine_words``: ``True`` cuts words as the Universal
/// Dependencies treebanks do (``一 個``, ``博物 館``) instead of jieba's
/// coarser words (``一個``, ``博物館``), the default.
/// A cleaner is immutable and may be shared between threads; it pickles
/// (by its options) for Spark, ``multiprocessing`` and ``datasets``.
#[pyclass(frozen, module = "zh_clean", name = "Cleaner")]
struct PyCleaner {
    cleaner: Cleaner,
    user_dicts: Vec<String>,
    given: Vec<(String, Py<PyAny>)>,
}

#[pymethods]
impl PyCleaner {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, PyDict>>) -> PyResult<PyCleaner> {
        let settings = Settings::from_kwargs(options, true)?;
        let cleaner = settings.cleaner()?;
        Ok(PyCleaner { cleaner, user_dicts: settings.user_dicts, given: settings.given })
    }

    /// Cleans ``text`` and returns the result (the same object when it was
    /// already clean).
    fn clean<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        clean_py(py, &self.cleaner, text)
    }

    /// Cleans every text of ``texts`` (any iterable of ``str``) and returns
    /// the results in the same order.
    ///
    /// The interpreter is released while the texts are cleaned, on
    /// ``threads`` worker threads (default: every core; ``1`` cleans on the
    /// calling thread).
    #[pyo3(signature = (texts, threads=None))]
    fn clean_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyList>> {
        let threads = match threads {
            Some(0) => {
                return Err(PyValueError::new_err(
                    "invalid threads 0: expected a number ≥ 1, or None for every core",
                ));
            }
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let mut objects: Vec<Bound<'py, PyString>> = Vec::new();
        for (i, item) in texts.try_iter()?.enumerate() {
            let item = item?;
            let s = item.cast_into::<PyString>().map_err(|e| {
                let ty = e.into_inner().get_type().name().map(|n| n.to_string()).unwrap_or_default();
                PyTypeError::new_err(format!("texts[{i}]: expected str, not {ty}"))
            })?;
            objects.push(s);
        }
        let inputs: Vec<Cow<'_, str>> = objects.iter().map(|s| s.to_cow()).collect::<PyResult<_>>()?;
        let cleaner = &self.cleaner;
        let results: Vec<Cleaned> = py.detach(|| clean_all(cleaner, &inputs, threads));
        drop(inputs);
        let list = PyList::empty(py);
        for (obj, cleaned) in objects.iter().zip(results) {
            list.append(to_py(py, obj, cleaned))?;
        }
        Ok(list)
    }

    /// Cleans ``text`` and cuts it into words with jieba (whitespace
    /// dropped; punctuation marks are tokens of their own).
    fn segment(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
        let input = text_arg(text)?.to_cow()?;
        let input: &str = &input;
        let cleaner = &self.cleaner;
        Ok(py.detach(|| {
            let clean = cleaner.clean_cow(input);
            cleaner.segment_words(&clean).into_iter().map(str::to_owned).collect()
        }))
    }

    /// Counts of what each stage did to ``text`` (a dict of ints: bytes and
    /// lines in and out, hygiene changes, paragraphs, list items, lines
    /// joined, spaces removed, punctuation changed, characters converted).
    fn stats<'py>(&self, py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
        Ok(self.clean_with_stats(py, text)?.1)
    }

    /// ``(cleaned, stats)``: :meth:`clean` and :meth:`stats` in one pass.
    fn clean_with_stats<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyString>, Bound<'py, PyDict>)> {
        let input = text_arg(text)?.to_cow()?;
        let input: &str = &input;
        let cleaner = &self.cleaner;
        let (out, stats) = py.detach(|| cleaner.clean_with_stats(input));
        Ok((PyString::new(py, &out), stats_dict(py, &stats)?))
    }

    /// The effective options: every option with its value, the profile's
    /// defaults filled in; the stages as ``encoding``, ``hygiene``, ``structure``,
    /// ``spacing``, ``punctuation`` and ``variants_stage`` booleans.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let o = self.cleaner.options();
        let d = PyDict::new(py);
        d.set_item("profile", profile_name(o.profile))?;
        d.set_item("cjk_latin_space", space_name(o.cjk_latin_space))?;
        d.set_item("quotes", quotes_name(o.quotes))?;
        d.set_item("middle_dot", o.middle_dot.to_string())?;
        d.set_item("variants", variants_name(o.variants))?;
        d.set_item("convert", o.convert.map(|c| c.name()))?;
        d.set_item("backend", backend_name(o.backend))?;
        d.set_item("encoding", o.encoding)?;
        d.set_item("hygiene", o.hygiene)?;
        d.set_item("structure", o.structure)?;
        d.set_item("spacing", o.spacing)?;
        d.set_item("punctuation", o.punctuation)?;
        d.set_item("variants_stage", o.variants_stage)?;
        d.set_item("main_content", o.main_content)?;
        d.set_item("dedupe", o.dedupe)?;
        d.set_item("user_dicts", self.user_dicts.clone())?;
        d.set_item("fine_words", o.fine_words)?;
        Ok(d)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut parts = Vec::new();
        for (k, v) in &self.given {
            parts.push(format!("{k}={}", v.bind(py).repr()?));
        }
        Ok(format!("Cleaner({})", parts.join(", ")))
    }

    /// Pickling: a cleaner is rebuilt from the options it was given.
    fn __getnewargs_ex__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyTuple>, Bound<'py, PyDict>)> {
        let kwargs = PyDict::new(py);
        for (k, v) in &self.given {
            kwargs.set_item(k, v.bind(py))?;
        }
        Ok((PyTuple::empty(py), kwargs))
    }
}

/// Cleans `inputs` on `threads` threads; the results are in input order.
fn clean_all(cleaner: &Cleaner, inputs: &[Cow<'_, str>], threads: usize) -> Vec<Cleaned> {
    let mut out: Vec<Cleaned> = Vec::with_capacity(inputs.len());
    out.resize_with(inputs.len(), || Cleaned::Same);
    let threads = threads.min(inputs.len()).max(1);
    if threads == 1 {
        for (text, slot) in inputs.iter().zip(out.iter_mut()) {
            *slot = clean_one(cleaner, text);
        }
        return out;
    }
    // Small batches handed out in order to whichever thread is free: long
    // and short documents even out, and each result lands in its own slot.
    let batch = (inputs.len() / (threads * 32)).clamp(1, 64);
    let jobs = Mutex::new(inputs.chunks(batch).zip(out.chunks_mut(batch)));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = jobs.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some((texts, slots)) = next else { break };
                    for (text, slot) in texts.iter().zip(slots.iter_mut()) {
                        *slot = clean_one(cleaner, text);
                    }
                }
            });
        }
    });
    out
}

fn default_cleaner() -> &'static Cleaner {
    static DEFAULT: OnceLock<Cleaner> = OnceLock::new();
    DEFAULT.get_or_init(Cleaner::default)
}

/// Cleans ``text`` with the given options and returns the result.
///
/// Options (all keyword-only; ``None`` or absent means the profile's
/// default): ``profile`` (``'hk'``, ``'tw'``, ``'cn'``), ``cjk_latin_space``
/// (``'auto'``, ``'remove'``, ``'keep'``, ``'pangu'``), ``quotes``
/// (``'corner'``, ``'curly'``, ``'keep'``), ``middle_dot`` (one character),
/// ``variants`` (``'auto'``, ``'hk'``, ``'tw'``, ``'twp'``, ``'cn'``,
/// ``'none'``), ``convert`` (an OpenCC configuration such as ``'s2hk'``),
/// ``backend`` (``'builtin'``), ``only`` / ``skip`` (stage names),
/// ``main_content`` and ``dedupe`` (booleans). A bad value is a
/// ``ValueError`` naming it and the accepted ones.
///
/// To clean many texts, build one :class:`Cleaner` and call its
/// ``clean_many``.
#[pyfunction]
#[pyo3(signature = (text, **options))]
fn clean<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyString>> {
    match options {
        Some(o) if !o.is_empty() => {
            let cleaner = Settings::from_kwargs(Some(o), false)?.cleaner()?;
            clean_py(py, &cleaner, text)
        }
        _ => clean_py(py, default_cleaner(), text),
    }
}

/// Decodes ``data`` (``bytes``, ``bytearray`` or ``memoryview``) to ``str``.
///
/// ``encoding='auto'`` honours a byte-order mark, takes UTF-8 whenever the
/// bytes are valid UTF-8, and otherwise weighs Big5 and GB18030 by how
/// plausible the decoded Chinese is; a guess it is not sure of issues a
/// ``UnicodeWarning``. Other values: ``'utf-8'``, ``'big5'``, ``'gb18030'``,
/// ``'utf-16le'``, ``'utf-16be'`` or any WHATWG encoding label. Bytes
/// invalid in the encoding raise ``UnicodeDecodeError`` naming the offset,
/// unless ``lossy=True`` (then they become U+FFFD).
#[pyfunction]
#[pyo3(signature = (data, encoding="auto", *, lossy=false))]
fn decode<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    encoding: &str,
    lossy: bool,
) -> PyResult<Bound<'py, PyString>> {
    let choice = encoding.parse::<EncodingChoice>().map_err(|_| {
        PyValueError::new_err(format!(
            "invalid encoding {}: expected 'auto', 'utf-8', 'big5', 'gb18030', 'utf-16le', \
             'utf-16be' or another WHATWG encoding label",
            py_repr(encoding)
        ))
    })?;
    let bytes: Cow<'_, [u8]> = if let Ok(b) = data.cast::<PyBytes>() {
        Cow::Borrowed(b.as_bytes())
    } else if data.is_instance_of::<PyByteArray>() || data.is_instance_of::<PyMemoryView>() {
        Cow::Owned(py.get_type::<PyBytes>().call1((data,))?.cast_into::<PyBytes>()?.as_bytes().to_vec())
    } else {
        let ty = data.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(PyTypeError::new_err(format!("expected bytes, bytearray or memoryview, not {ty}")));
    };
    let bytes: &[u8] = &bytes;
    let result = if bytes.len() < DETACH_MIN_BYTES {
        zh_clean::decode::decode(bytes, choice, lossy).map(|(t, d)| (t.into_owned(), d))
    } else {
        py.detach(|| zh_clean::decode::decode(bytes, choice, lossy).map(|(t, d)| (t.into_owned(), d)))
    };
    match result {
        Ok((text, detection)) => {
            if let Some(warning) = detection.warning() {
                PyErr::warn(py, &py.get_type::<PyUnicodeWarning>(), &std::ffi::CString::new(warning)?, 1)?;
            }
            Ok(PyString::new(py, &text))
        }
        Err(e) => {
            let codec = std::ffi::CString::new(e.encoding.to_ascii_lowercase())?;
            let reason = std::ffi::CString::new(e.to_string())?;
            let end = (e.offset + e.bytes.len().max(1)).min(bytes.len());
            let err = PyUnicodeDecodeError::new(py, &codec, bytes, e.offset..end, &reason)?;
            Err(PyErr::from_value(err.into_any()))
        }
    }
}

/// The extension module behind the `zh_clean` package.
#[pymodule]
fn _zh_clean(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyCleaner>()?;
    m.add_function(wrap_pyfunction!(clean, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", PyTuple::new(m.py(), PROFILES)?)?;
    m.add("CJK_LATIN_SPACES", PyTuple::new(m.py(), SPACES)?)?;
    m.add("QUOTES", PyTuple::new(m.py(), QUOTES)?)?;
    m.add("VARIANTS", PyTuple::new(m.py(), VARIANTS)?)?;
    m.add("CONVERSIONS", PyTuple::new(m.py(), Config::ALL.iter().map(|c| c.name()))?)?;
    m.add("BACKENDS", PyTuple::new(m.py(), BACKENDS)?)?;
    m.add("STAGES", PyTuple::new(m.py(), STAGES)?)?;
    Ok(())
}
