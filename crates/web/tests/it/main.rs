//! HTTP-level tests of the web application: the router is called directly (no network),
//! with the client address a real server would attach.

#[path = "../common/mod.rs"]
mod common;

mod access;
mod pages;
mod support;
