//! Text a person reads: the one number formatter ([`mod@format`]), math for labels ([`math`],
//! [`symbolic`]), the backward pass told step by step ([`steps`]), the tables of `eval`
//! ([`report`]) and the one XML escaper ([`xml`]).

pub mod format;
pub mod math;
pub mod report;
pub mod steps;
pub mod symbolic;
pub mod xml;
