//! Integration tests of the use cases: import rules, batches, both backends, properties.

mod backends;
mod batch;
mod props;
mod rules;
mod support;
