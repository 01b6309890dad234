//! The gazetteer's name table kept in the cache folder between runs.
//!
//! Folding the 40,000 names of the country data (150 languages) takes about
//! 30 ms at every start, and at a small archive's start from its snapshot
//! that is the longest wait before the counts are final. The table depends
//! only on the program, so it is written once per build of it: the file's
//! name carries a hash of the version and of the running executable's
//! path, size and modification time, and its content the number of
//! countries it was made for and a checksum. A file that is missing, from another
//! build, or wrong in any way is ignored and the table built as before.

use std::fs;
use std::hash::Hasher;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::regions::{CONTINENTS, SUBREGIONS};
use super::{Country, NameTable, Place};

const MAGIC: &[u8] = b"newsdesk gazetteer 1\n";

/// The folder the table is kept in, set once by the reader before the
/// gazetteer is first built (none: not kept, as in tests and commands).
static FOLDER: OnceLock<PathBuf> = OnceLock::new();

/// Keeps the name table in `folder` from now on (the first call wins).
pub fn keep_in(folder: PathBuf) {
    let _ = FOLDER.set(folder);
}

/// The file for this build of the program, if the folder was set.
pub(super) fn file() -> Option<PathBuf> {
    let folder = FOLDER.get()?;
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(&exe).ok()?;
    let mut h = std::hash::DefaultHasher::new();
    h.write(env!("CARGO_PKG_VERSION").as_bytes());
    h.write(exe.as_os_str().as_encoded_bytes());
    h.write_u64(meta.len());
    h.write_i64(meta.mtime());
    h.write_i64(meta.mtime_nsec());
    Some(folder.join(format!("gazetteer-{:016x}.bin", h.finish())))
}

/// The table as bytes: each name's bounds and place (countries by their
/// place in `countries`, regions by theirs in the constant lists).
pub(super) fn encode(table: &NameTable, countries: &[&'static Country]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(MAGIC.len() + table.text.len() + table.entries.len() * 11);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&u32::try_from(countries.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(table.entries.len()).ok()?.to_le_bytes());
    out.extend_from_slice(&u32::try_from(table.text.len()).ok()?.to_le_bytes());
    out.extend_from_slice(table.text.as_bytes());
    for &(start, end, place) in &table.entries {
        let (kind, index) = match place {
            Place::Continent(c) => (0u8, CONTINENTS.iter().position(|&x| x == c)?),
            Place::Subregion(s) => (1, SUBREGIONS.iter().position(|&x| x == s)?),
            Place::Country(c) => (2, countries.iter().position(|&x| std::ptr::eq(x, c))?),
        };
        out.extend_from_slice(&start.to_le_bytes());
        out.extend_from_slice(&end.to_le_bytes());
        out.push(kind);
        out.extend_from_slice(&u16::try_from(index).ok()?.to_le_bytes());
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Some(out)
}

/// The table `encode` made, if `bytes` are wholly right for `countries`:
/// checksum, bounds on character boundaries, places that exist, names in
/// order (the lookup is a binary search).
pub(super) fn decode(bytes: &[u8], countries: &[&'static Country]) -> Option<NameTable> {
    let (body, crc) = bytes.split_at_checked(bytes.len().checked_sub(4)?)?;
    if crc32fast::hash(body) != u32::from_le_bytes(crc.try_into().ok()?) {
        return None;
    }
    let rest = body.strip_prefix(MAGIC)?;
    let mut at: usize = 0;
    let mut take = |n: usize| -> Option<&[u8]> {
        let head = rest.get(at..at.checked_add(n)?)?;
        at += n;
        Some(head)
    };
    let u32_at = |b: &[u8]| -> Option<u32> { Some(u32::from_le_bytes(b.try_into().ok()?)) };
    // Made for another list of countries (another build): not ours.
    if u32_at(take(4)?)? as usize != countries.len() {
        return None;
    }
    let count = u32_at(take(4)?)? as usize;
    let text_len = u32_at(take(4)?)? as usize;
    let text = std::str::from_utf8(take(text_len)?).ok()?.to_owned();
    let mut entries: Vec<(u32, u32, Place)> = Vec::with_capacity(count.min(rest.len() / 11));
    for _ in 0..count {
        let e = take(11)?;
        let (start, end) = (u32_at(&e[0..4])?, u32_at(&e[4..8])?);
        let index = u16::from_le_bytes([e[9], e[10]]) as usize;
        let place = match e[8] {
            0 => Place::Continent(*CONTINENTS.get(index)?),
            1 => Place::Subregion(*SUBREGIONS.get(index)?),
            2 => Place::Country(countries.get(index)?),
            _ => return None,
        };
        let name = text.get(start as usize..end as usize)?;
        if let Some(&(s, e, _)) = entries.last()
            && text.get(s as usize..e as usize)? >= name
        {
            return None;
        }
        entries.push((start, end, place));
    }
    if at != rest.len() {
        return None;
    }
    Some(NameTable { text, entries })
}

/// The table kept in `file`, if it is there and right.
pub(super) fn load(file: &Path, countries: &[&'static Country]) -> Option<NameTable> {
    decode(&fs::read(file).ok()?, countries)
}

/// Writes the table to `file` whole or not at all (a temporary file renamed
/// over it); a failure only means the next start builds it again.
pub(super) fn save(file: &Path, table: &NameTable, countries: &[&'static Country]) {
    let (Some(bytes), Some(folder)) = (encode(table, countries), file.parent()) else {
        return;
    };
    let written = fs::create_dir_all(folder)
        .and_then(|()| tempfile::NamedTempFile::new_in(folder))
        .and_then(|mut temp| {
            temp.write_all(&bytes)?;
            temp.persist(file).map_err(|e| e.error)?;
            Ok(())
        });
    if written.is_ok() {
        // Tables of earlier builds are never read again.
        let ours = file.file_name();
        for entry in fs::read_dir(folder).into_iter().flatten().flatten() {
            let name = entry.file_name();
            let text = name.to_string_lossy();
            if Some(name.as_os_str()) != ours
                && text.starts_with("gazetteer-")
                && text.ends_with(".bin")
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::{COUNTRIES, Gazetteer, all_countries};

    fn countries() -> Vec<&'static Country> {
        COUNTRIES.get_or_init(all_countries).iter().collect()
    }

    fn same(a: &NameTable, b: &NameTable) -> bool {
        a.text == b.text
            && a.entries.len() == b.entries.len()
            && a.entries.iter().zip(&b.entries).all(|(x, y)| x == y)
    }

    #[test]
    fn a_kept_table_comes_back_the_same_and_a_damaged_one_not_at_all() {
        let countries = countries();
        let built = Gazetteer::name_table(&countries);
        let bytes = encode(&built, &countries).expect("encodes");
        let back = decode(&bytes, &countries).expect("decodes");
        assert!(same(&built, &back));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join("gazetteer-test.bin");
        let earlier = dir.path().join("sub").join("gazetteer-earlier.bin");
        fs::create_dir_all(dir.path().join("sub")).unwrap();
        fs::write(&earlier, b"an earlier build's").unwrap();
        save(&file, &built, &countries);
        assert!(load(&file, &countries).is_some_and(|t| same(&t, &built)));
        assert!(!earlier.exists(), "an earlier build's table is removed");
        // Any byte changed, or the file cut short or lengthened: refused.
        for at in (0..bytes.len()).step_by(bytes.len() / 97 + 1) {
            let mut bad = bytes.clone();
            bad[at] ^= 0x20;
            assert!(decode(&bad, &countries).is_none(), "byte {at}");
        }
        assert!(decode(&bytes[..bytes.len() - 1], &countries).is_none());
        assert!(decode(b"", &countries).is_none());
        // Right checksum, names out of order (the lookup would miss): refused.
        let mut swapped = NameTable {
            text: built.text.clone(),
            entries: built.entries.clone(),
        };
        swapped.entries.swap(0, 1);
        let bytes = encode(&swapped, &countries).expect("encodes");
        assert!(decode(&bytes, &countries).is_none());
        // A table for fewer countries than it names: refused.
        let bytes = encode(&built, &countries).expect("encodes");
        assert!(decode(&bytes, &countries[..10]).is_none());
    }
}
