use demo::account::Account;
use demo::amount::{format_cents, parse_cents, AmountError};
use demo::report::summary;

#[test]
fn parses_whole_and_cents() {
    assert_eq!(parse_cents("12"), Ok(1_200));
    assert_eq!(parse_cents("12.5"), Ok(1_250));
    assert_eq!(parse_cents(" 0.07 "), Ok(7));
}

#[test]
fn rejects_bad_amounts() {
    assert_eq!(parse_cents(""), Err(AmountError::Empty));
    assert_eq!(parse_cents("1.234"), Err(AmountError::TooManyDecimals));
    assert!(parse_cents("ten").is_err());
}

#[test]
fn formats_cents() {
    assert_eq!(format_cents(1_205), "12.05");
}

#[test]
fn parse_smoke() {
    parse_cents("3.00").unwrap();
}

#[test]
fn summary_prints() {
    let mut ann = Account::new("ann");
    let _ = ann.deposit(1_250);
    println!("{}", summary(&[ann, Account::new("bob")]));
}
