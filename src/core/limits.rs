//! What a scenario file may ask for, checked before any work is done (`core::check` checks a
//! scenario's texts and arguments against them): the file's size, the length of every text,
//! the arguments of one op, the numbers in a tensor, the nesting of a name read as math. Each
//! limit is far above what a figure for a course needs and keeps the worst case a file can ask
//! for within seconds and well under a gigabyte (measured in release: at most 7 s and 350 MB,
//! for 500 args drawn as frames). Texts that are drawn must not be empty or blank: an empty
//! label is a mistake, never a figure.

/// The most nodes a scenario in the text format makes: about what a JSON file of
/// [`MAX_FILE_BYTES`] holds (the 986,756-node MLP of the benchmarks takes 62 MB), though the
/// text is four times shorter.
pub const MAX_TEXT_NODES: usize = 1_000_000;

/// The most frames a set has: a step per frame is for graphs a class can follow, and every
/// frame is rasterised and kept (as runs of colours) until the GIF's palette is chosen.
pub const MAX_FRAMES: usize = 400;

/// The largest scenario file read, in bytes (64 MiB). The 986,756-node MLP of the benchmarks
/// takes 62 MB; a larger file is refused before it is parsed, and no more than this (plus one
/// byte, to tell) is ever read, even from a pipe or `/dev/zero`.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The longest id, label, symbol, name, group name or label, derivative, figure name or
/// title, in characters. A label is typeset and rasterised: 64,000 characters took 11 s.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// The longest hand-written edge label (`labels`' `forward` and `backward`, TeX between
/// `$…$`), in characters.
pub const MAX_TEX_CHARS: usize = 1_000;

/// The most arguments one op takes (`add` is the only op with no fixed count). One `add` of
/// 30,000 arguments took 187 s to lay out and draw; of 500, it takes 6 s as SVG and PNG
/// (of 1,000, 18 s: the PNG of so wide a figure is what costs).
pub const MAX_ARGS: usize = 500;

/// The most numbers in one tensor (an input, a const or the seed): a 1000 × 1000 matrix.
pub const MAX_TENSOR_ELEMENTS: usize = 1_000_000;

/// The most numbers in all the tensors of one file together: each is held as JSON (about
/// 80 bytes a number) until it is converted.
pub const MAX_FILE_ELEMENTS: usize = 4_000_000;

/// The most numbers one evaluation holds: every node's value, and the gradient each edge
/// carries back (as large as its source's value). The backward pass keeps about three times
/// this many (values, gradients, and each step's), so 16 million numbers stay under 400 MB;
/// a million-node scalar network needs about 3 million.
pub const MAX_EVAL_ELEMENTS: usize = 16_000_000;

/// The deepest nesting of a name read as math (parentheses, leading minus signs, function
/// applications), and of braces in a hand-written label's TeX. The parsers are recursive;
/// this keeps them far from the end of the stack.
pub const MAX_NESTING: usize = 64;

/// The largest magnitude of an integer written in a file: 2⁵³, above which not every integer
/// is a floating-point number and would be rounded silently. Such a number is refused; write
/// it with a decimal point or an exponent (`9007199254740993.0`) to accept the rounding.
pub const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// How many characters of a long value an error message quotes before it writes `…`.
pub const QUOTED_CHARS: usize = 60;

/// `value` in double quotes for a message, shortened to its first [`QUOTED_CHARS`]
/// characters and `…` if it is longer.
pub fn quote(value: &str) -> String {
    match value.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("\"{}…\"", &value[..end]),
        None => format!("\"{value}\""),
    }
}

/// What is wrong with one text, argument list or nesting of a scenario: blank, or past a
/// limit. Values are quoted, and shortened ([`quote`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitProblem {
    /// A text that is drawn is empty or only blanks.
    #[error("\"{field}\" is {}; write at least one visible character, or leave the field out", if *.empty { "empty" } else { "blank" })]
    Blank {
        /// The field.
        field: String,
        /// Empty, rather than blanks.
        empty: bool,
    },
    /// A text is longer than its limit.
    #[error("\"{field}\" {value} is longer than the limit of {limit} characters")]
    TooLong {
        /// The field.
        field: String,
        /// The text, quoted.
        value: String,
        /// The limit, in characters.
        limit: usize,
    },
    /// A name read as math nests deeper than [`MAX_NESTING`].
    #[error("\"{field}\" {value} nests deeper than the limit of {MAX_NESTING} levels (parentheses or signs)")]
    TooDeep {
        /// The field.
        field: String,
        /// The text, quoted.
        value: String,
    },
    /// A hand-written label of only blanks and `$` signs.
    #[error(
        "\"{field}\" {value} is blank; write at least one visible character, or \"\" for no label"
    )]
    BlankLabel {
        /// The field.
        field: String,
        /// The label, quoted.
        value: String,
    },
    /// A hand-written label's braces nest deeper than [`MAX_NESTING`].
    #[error("\"{field}\" {value} nests braces deeper than the limit of {MAX_NESTING} levels")]
    BracesTooDeep {
        /// The field.
        field: String,
        /// The label, quoted.
        value: String,
    },
    /// An op has more arguments than [`MAX_ARGS`].
    #[error("{op} has {args} arguments, more than the limit of {MAX_ARGS}")]
    Args {
        /// The op.
        op: String,
        /// How many it has.
        args: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_quoted_shortened() {
        assert_eq!(quote("abc"), "\"abc\"");
        let long = "é".repeat(100);
        assert_eq!(quote(&long), format!("\"{}…\"", "é".repeat(QUOTED_CHARS)));
    }
}
