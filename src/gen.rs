//! Generated scenarios (placeholder until implemented).
