//! The text format's tokens: names, numbers, strings, operators and punctuation, each with the
//! byte offset where it starts. Newlines end statements, except inside parentheses and
//! brackets; `#` starts a comment that runs to the end of the line.

use crate::error::TextProblem;

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A name: letters, digits and `_`, not starting with a digit; or any text between
    /// backticks.
    Name(String),
    /// A number as written (`2`, `-` is a token of its own), kept as text so that it is
    /// converted exactly once, as JSON would.
    Number(String),
    /// A string between double quotes (escapes `\"`, `\\`, `\n`, `\t`, `\u{…}`) or single
    /// quotes (no escapes).
    Str(String),
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `**`
    Power,
    /// `/`
    Slash,
    /// `@`
    At,
    /// `=`
    Assign,
    /// `->`
    Arrow,
    /// `,`
    Comma,
    /// `:`
    Colon,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// The end of a statement: a newline (outside brackets) or `;`.
    End,
    /// The end of the text.
    Eof,
    /// Text that starts no token, or a string or quoted name not closed: the parser reports
    /// the problem when it meets it.
    Bad(Box<TextProblem>),
}

impl Tok {
    /// How an error message names the token.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Name(n) => format!("the name \"{n}\""),
            Tok::Number(n) => format!("the number {n}"),
            Tok::Str(_) => "a string".to_string(),
            Tok::End => "the end of the statement".to_string(),
            Tok::Eof => "the end of the text".to_string(),
            Tok::Bad(problem) => problem.to_string(),
            other => format!("\"{}\"", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::Power => "**",
            Tok::Slash => "/",
            Tok::At => "@",
            Tok::Assign => "=",
            Tok::Arrow => "->",
            Tok::Comma => ",",
            Tok::Colon => ":",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            _ => "",
        }
    }
}

/// A token and the byte offset where it starts.
pub(crate) type Spanned = (Tok, usize);

/// Splits a text into tokens, one at a time: a text of any size is never held as a list of
/// tokens.
pub(crate) struct Lexer<'t> {
    text: &'t str,
    i: usize,
    /// Brackets open: newlines inside them do not end a statement.
    open: usize,
}

impl<'t> Lexer<'t> {
    pub(crate) fn new(text: &'t str) -> Lexer<'t> {
        Lexer {
            text,
            i: 0,
            open: 0,
        }
    }

    /// The next token; [`Tok::Eof`] at the end, and from then on; [`Tok::Bad`] at a
    /// character that starts no token, or a string or quoted name that is not closed.
    pub(crate) fn next_token(&mut self) -> Spanned {
        match self.step() {
            Ok(t) => t,
            Err((at, problem)) => {
                // Nothing after a bad token is read.
                self.i = self.text.len();
                (Tok::Bad(Box::new(problem)), at)
            }
        }
    }

    fn step(&mut self) -> Result<Spanned, (usize, TextProblem)> {
        let text = self.text;
        let bytes = text.as_bytes();
        let syntax = |at: usize, message: String| Err((at, TextProblem::Syntax(message)));
        while self.i < bytes.len() {
            let i = self.i;
            let b = bytes[i];
            let start = i;
            let simple = |tok: Tok, len: usize| (tok, len);
            let (tok, len) = match b {
                b' ' | b'\t' | b'\r' => {
                    self.i += 1;
                    continue;
                }
                b'#' => {
                    self.i += bytes[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .unwrap_or(bytes.len() - i);
                    continue;
                }
                b'\n' | b';' => {
                    if b == b'\n' && self.open > 0 {
                        self.i += 1;
                        continue;
                    }
                    simple(Tok::End, 1)
                }
                b'+' => simple(Tok::Plus, 1),
                b'-' if bytes.get(i + 1) == Some(&b'>') => simple(Tok::Arrow, 2),
                b'-' => simple(Tok::Minus, 1),
                b'*' if bytes.get(i + 1) == Some(&b'*') => simple(Tok::Power, 2),
                b'*' => simple(Tok::Star, 1),
                b'/' => simple(Tok::Slash, 1),
                b'@' => simple(Tok::At, 1),
                b'=' => simple(Tok::Assign, 1),
                b',' => simple(Tok::Comma, 1),
                b':' => simple(Tok::Colon, 1),
                b'(' | b'[' => {
                    self.open += 1;
                    simple(
                        if b == b'(' {
                            Tok::LParen
                        } else {
                            Tok::LBracket
                        },
                        1,
                    )
                }
                b')' | b']' => {
                    self.open = self.open.saturating_sub(1);
                    simple(
                        if b == b')' {
                            Tok::RParen
                        } else {
                            Tok::RBracket
                        },
                        1,
                    )
                }
                b'0'..=b'9' | b'.' => {
                    let len = number_len(&bytes[i..]);
                    if len == 0 {
                        return syntax(start, "\".\" starts no number: write 0.5, not .5".into());
                    }
                    (Tok::Number(text[i..i + len].to_string()), len)
                }
                b'"' => {
                    let (s, len) = string(text, i)?;
                    (Tok::Str(s), len)
                }
                b'\'' => match text[i + 1..].find(['\'', '\n']) {
                    Some(end) if bytes[i + 1 + end] == b'\'' => {
                        (Tok::Str(text[i + 1..i + 1 + end].to_string()), end + 2)
                    }
                    _ => return syntax(start, "this string is not closed: end it with '".into()),
                },
                b'`' => match text[i + 1..].find(['`', '\n']) {
                    Some(end) if bytes[i + 1 + end] == b'`' => {
                        (Tok::Name(text[i + 1..i + 1 + end].to_string()), end + 2)
                    }
                    _ => return syntax(start, "this name is not closed: end it with `".into()),
                },
                _ => {
                    let rest = &text[i..];
                    let len: usize = rest
                        .char_indices()
                        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
                        .map_or(rest.len(), |(k, _)| k);
                    let first = rest.chars().next().unwrap_or(' ');
                    if len == 0 || first.is_numeric() {
                        return syntax(
                            start,
                            format!("unexpected character {first:?}: a statement is written as name = expression"),
                        );
                    }
                    (Tok::Name(rest[..len].to_string()), len)
                }
            };
            self.i = i + len;
            return Ok((tok, start));
        }
        Ok((Tok::Eof, text.len()))
    }
}

/// Every token of `text`, up to the first bad one.
#[cfg(test)]
pub(crate) fn tokens(text: &str) -> Result<Vec<Spanned>, (usize, TextProblem)> {
    let mut lexer = Lexer::new(text);
    let mut out = Vec::new();
    loop {
        match lexer.next_token() {
            (Tok::Bad(problem), at) => return Err((at, *problem)),
            (Tok::Eof, at) => {
                out.push((Tok::Eof, at));
                return Ok(out);
            }
            t => out.push(t),
        }
    }
}

/// The length of the number at the start of `bytes`: digits, an optional fraction, an
/// optional exponent; 0 if it has no digit before its point.
fn number_len(bytes: &[u8]) -> usize {
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut len = digits(0);
    if len == 0 {
        return 0;
    }
    if bytes.get(len) == Some(&b'.') && bytes.get(len + 1).is_some_and(u8::is_ascii_digit) {
        len += 1 + digits(len + 1);
    }
    if matches!(bytes.get(len), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(len + 1), Some(b'+' | b'-')));
        let exponent = digits(len + 1 + sign);
        if exponent > 0 {
            len += 1 + sign + exponent;
        }
    }
    len
}

/// The double-quoted string starting at `start`, with its escapes replaced, and its length
/// in the text.
fn string(text: &str, start: usize) -> Result<(String, usize), (usize, TextProblem)> {
    let mut out = String::new();
    let mut chars = text[start + 1..].char_indices();
    let bad = |at: usize, message: &str| Err((at, TextProblem::Syntax(message.to_string())));
    while let Some((k, c)) = chars.next() {
        match c {
            '"' => return Ok((out, k + 2)),
            '\n' => break,
            '\\' => match chars.next() {
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'u')) => {
                    let here = start + 1 + k;
                    let rest = &text[here + 2..];
                    let code = rest
                        .strip_prefix('{')
                        .and_then(|r| r.split_once('}'))
                        .and_then(|(hex, _)| u32::from_str_radix(hex, 16).ok())
                        .and_then(char::from_u32);
                    match code {
                        Some(ch) => {
                            out.push(ch);
                            let skip = rest.find('}').unwrap_or(0) + 1;
                            for _ in 0..rest[..skip].chars().count() {
                                chars.next();
                            }
                        }
                        None => return bad(here, "\\u is written \\u{hex digits} of a character"),
                    }
                }
                _ => {
                    return bad(
                        start + 1 + k,
                        "unknown escape: a string in \"…\" knows \\\", \\\\, \\n, \\t and \\u{…}; \
                         write it in '…' to keep backslashes as they are",
                    )
                }
            },
            _ => out.push(c),
        }
    }
    bad(start, "this string is not closed: end it with \"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokens(text).unwrap().into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn splits_operators_numbers_and_names() {
        assert_eq!(
            kinds("f = x**2 - 1.5e3 # note\n"),
            vec![
                Tok::Name("f".into()),
                Tok::Assign,
                Tok::Name("x".into()),
                Tok::Power,
                Tok::Number("2".into()),
                Tok::Minus,
                Tok::Number("1.5e3".into()),
                Tok::End,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn newlines_inside_brackets_do_not_end_a_statement() {
        assert_eq!(
            kinds("[1,\n2]"),
            vec![
                Tok::LBracket,
                Tok::Number("1".into()),
                Tok::Comma,
                Tok::Number("2".into()),
                Tok::RBracket,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings_have_escapes_and_raw_quotes() {
        assert_eq!(
            kinds(r#""a\"b\u{3b1}" '\frac' `my id`"#),
            vec![
                Tok::Str("a\"bα".into()),
                Tok::Str("\\frac".into()),
                Tok::Name("my id".into()),
                Tok::Eof
            ]
        );
        assert!(tokens("\"open").is_err());
        assert!(tokens("\"bad \\q\"").is_err());
    }
}
