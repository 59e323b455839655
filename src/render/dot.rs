//! The figure as Graphviz DOT (placeholder until implemented).
