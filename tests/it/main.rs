//! The integration tests, in one binary: each file is a module, so the library and its two
//! SVG stacks are linked once, not once per file.

mod bad_input;
mod browser;
mod dot;
mod frames;
mod fuzz;
mod generate;
mod golden;
mod gradcheck;
mod hostile;
mod output;
mod render;
mod scalar_engine;
mod text_numbers;
mod typeset;
