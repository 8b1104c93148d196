//! Integration tests of the use cases: import rules, batches, both backends, properties.

mod accounts;
mod backends;
mod batch;
mod bulk;
mod coverage;
mod explain;
mod households;
mod policy_cases;
mod props;
mod rules;
mod selfcheck;
mod simulate;
mod support;
