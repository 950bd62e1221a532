use crate::account::Account;
use crate::amount::format_cents;

/// One line per account: `ann: 12.50`.
pub fn summary(accounts: &[Account]) -> String {
    let mut lines: Vec<String> = accounts
        .iter()
        .map(|a| format!("{}: {}", a.owner, format_cents(a.balance())))
        .collect();
    lines.sort();
    lines.join("\n")
}
