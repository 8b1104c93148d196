//! The engine against the oracle: the reference pack, evaluated by the engine from its
//! policy files, must give exactly what the independent oracle gives — results, the
//! `--all` rows, undecided units and medical.csv — on whole synthetic districts.

mod differential;
