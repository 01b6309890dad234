//! Plain text as the export wants it: paragraphs split at blank lines, lines
//! trimmed, runs of spaces folded. Below both `html` and `convert`, which use it.

/// Blocks split by blank lines, each line trimmed, runs of spaces folded;
/// empty blocks dropped; joined with one blank line (two would mark a caption).
pub fn normalize(text: &str) -> String {
    paragraphs(text).join("\n\n")
}

/// The text's paragraphs: split at blank lines, lines trimmed, inner spaces folded.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Vec<String> = Vec::new();
    for line in text.lines() {
        let line = fold_spaces(line);
        if line.is_empty() {
            if !block.is_empty() {
                out.push(block.join("\n"));
                block.clear();
            }
        } else {
            block.push(line);
        }
    }
    if !block.is_empty() {
        out.push(block.join("\n"));
    }
    out
}

/// Trims and folds each run of whitespace (non-breaking spaces too) and
/// control characters (a NUL would make the file read as binary) and byte
/// order marks (one opening the file would be taken off the title) to one space.
pub fn fold_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control() || c == '\u{feff}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
