//! chainrule as a Python extension module.
