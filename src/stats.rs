//! Counts of what each stage did, for `--stats`.

/// What a cleaning run changed, stage by stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Stats {
    /// Input bytes.
    pub bytes_in: usize,
    /// Output bytes.
    pub bytes_out: usize,
    /// Input lines.
    pub lines_in: usize,
    /// Output lines.
    pub lines_out: usize,
    /// Mis-decoded spans the encoding repair restored.
    pub encoding_repairs: usize,
    /// Characters the hygiene stage removed or replaced.
    pub hygiene_changes: usize,
    /// Paragraphs written.
    pub paragraphs: usize,
    /// List items written.
    pub list_items: usize,
    /// Markdown headings written.
    pub headings: usize,
    /// Code blocks (fenced or indented) written verbatim.
    pub code_blocks: usize,
    /// Hard-wrapped lines re-joined to the line before them.
    pub lines_joined: usize,
    /// Spaces and tabs the spacing stage removed.
    pub spaces_removed: usize,
    /// Characters the punctuation stage changed.
    pub punctuation_changed: usize,
    /// Characters the variants stage converted.
    pub characters_converted: usize,
}

impl Stats {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: &Stats) {
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.lines_in += other.lines_in;
        self.lines_out += other.lines_out;
        self.encoding_repairs += other.encoding_repairs;
        self.hygiene_changes += other.hygiene_changes;
        self.paragraphs += other.paragraphs;
        self.list_items += other.list_items;
        self.headings += other.headings;
        self.code_blocks += other.code_blocks;
        self.lines_joined += other.lines_joined;
        self.spaces_removed += other.spaces_removed;
        self.punctuation_changed += other.punctuation_changed;
        self.characters_converted += other.characters_converted;
    }

    /// Folds in the counts of a further pass over the output (see
    /// [`crate::MAX_PASSES`]): what it changed adds to what the first pass
    /// changed, and the units it found replace the ones counted before.
    pub(crate) fn then(&mut self, later: &Stats) {
        self.encoding_repairs += later.encoding_repairs;
        self.hygiene_changes += later.hygiene_changes;
        self.paragraphs = later.paragraphs;
        self.list_items = later.list_items;
        self.headings = later.headings;
        self.code_blocks = later.code_blocks;
        self.lines_joined += later.lines_joined;
        self.spaces_removed += later.spaces_removed;
        self.punctuation_changed += later.punctuation_changed;
        self.characters_converted += later.characters_converted;
    }

    pub(crate) fn add_io(&mut self, input: &str, output: &str) {
        self.bytes_in += input.len();
        self.bytes_out += output.len();
        self.lines_in += lines(input);
        self.lines_out += lines(output);
    }

    /// One line of `name=value` pairs.
    pub fn to_line(&self) -> String {
        format!(
            "bytes_in={} bytes_out={} lines_in={} lines_out={} encoding_repairs={} hygiene_changes={} paragraphs={} list_items={} \
             headings={} code_blocks={} lines_joined={} spaces_removed={} punctuation_changed={} characters_converted={}",
            self.bytes_in,
            self.bytes_out,
            self.lines_in,
            self.lines_out,
            self.encoding_repairs,
            self.hygiene_changes,
            self.paragraphs,
            self.list_items,
            self.headings,
            self.code_blocks,
            self.lines_joined,
            self.spaces_removed,
            self.punctuation_changed,
            self.characters_converted
        )
    }
}

fn lines(s: &str) -> usize {
    memchr::memchr_iter(b'\n', s.as_bytes()).count() + usize::from(!s.is_empty() && !s.ends_with('\n'))
}

/// Spaces and tabs in `s`.
pub(crate) fn spaces(s: &str) -> usize {
    memchr::memchr2_iter(b' ', b'\t', s.as_bytes()).count()
}

/// How many characters of `b` differ from `a`: position by position when
/// the two have as many characters (variant conversion), otherwise by
/// walking both and re-synchronising after each difference (merged marks
/// such as `...` → `……`).
pub(crate) fn changed_chars(a: &str, b: &str) -> usize {
    if a == b {
        return 0;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        return a.iter().zip(&b).filter(|(x, y)| x != y).count();
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        // The nearest point where both agree again, looking a few ahead.
        let resync = (0..4)
            .flat_map(|di| (0..4).map(move |dj| (di, dj)))
            .filter(|&(di, dj)| di + dj > 0)
            .find(|&(di, dj)| i + di < a.len() && j + dj < b.len() && a[i + di] == b[j + dj]);
        let (di, dj) = resync.unwrap_or((1, 1));
        n += dj.max(1);
        i += di;
        j += dj;
    }
    n + (b.len() - j.min(b.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(changed_chars("頭髮", "头发"), 2);
        assert_eq!(changed_chars("然後...結束", "然後……結束"), 2);
        assert_eq!(changed_chars("同", "同"), 0);
        assert_eq!(spaces("a b\tc"), 2);
        assert_eq!(lines("a\nb"), 2);
        assert_eq!(lines("a\nb\n"), 2);
        assert_eq!(lines(""), 0);
    }
}
