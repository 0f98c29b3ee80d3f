//! The messages of `ArchiveError`, as users read them.

use super::*;

#[test]
fn what_a_file_that_is_not_an_archive_looks_like() {
    let said = |head: &[u8]| looks_like(crate::sniff::sniff(head));
    assert!(said(b"FROM python:3.11\nRUN pip install x\n").contains("Dockerfile"));
    assert!(said(b"# syntax=docker/dockerfile:1\nARG X\nFROM y\n").contains("Dockerfile"));
    assert!(said(b"  {\"AppImageConfigName\": \"x\"}").contains("AppImageConfig"));
    assert!(said(b"PK\x03\x04rest").contains("zip"));
    assert!(said(b"<!DOCTYPE html><html>").contains("HTML"));
    assert_eq!(said(b""), "an empty file");
    assert_eq!(said("# Notes \u{2014} caf\u{e9}\n".as_bytes()), "a text file");
    assert_eq!(said(&"\u{e9}".as_bytes()[..1]), "a text file", "cut inside a character");
    assert_eq!(said(b"\x00\x01\x02binary"), "binary data of an unknown kind");
}

#[test]
fn locations_read_as_before() {
    let inside = Location::InLayer { name: "a.tar".into(), offset: 1536, inner: 4096, file: Some("/etc/passwd".into()) };
    assert_eq!(inside.to_string(), "entry a.tar at offset 1536, offset 4096 inside the layer, file /etc/passwd");
    let outer = Location::Outer { offset: 2048, decompressed: true, after: Some(("manifest.json".into(), 512)) };
    assert_eq!(outer.to_string(), "offset 2048 of the decompressed archive, after entry manifest.json (header at offset 512)");
    assert_eq!(Location::Outer { offset: 0, decompressed: false, after: None }.to_string(), "offset 0, after the start");
}
