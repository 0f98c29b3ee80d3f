//! Image-archive reader (see issue 4).
