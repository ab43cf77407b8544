//! Jekyll Liquid (in progress).
