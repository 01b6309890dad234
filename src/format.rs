//! Numbers and counts written one way everywhere: `18,398`, `1 article`,
//! `2 articles`.

/// 18398 → "18,398".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun: `plural(1, "article", "articles")` → "1 article",
/// `plural(18398, …)` → "18,398 articles".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_one_way() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(18398), "18,398");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(plural(1, "article", "articles"), "1 article");
        assert_eq!(plural(2, "article", "articles"), "2 articles");
        assert_eq!(plural(0, "feed", "feeds"), "0 feeds");
    }
}
