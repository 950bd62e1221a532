use std::fmt;

/// Monthly fee, in cents.
pub const MONTHLY_FEE: u64 = 250;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountError {
    ZeroAmount,
    InsufficientFunds { needed: u64, available: u64 },
}

impl fmt::Display for AccountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountError::ZeroAmount => write!(f, "amount must be positive"),
            AccountError::InsufficientFunds { needed, available } => {
                write!(f, "insufficient funds: needed {needed}, available {available}")
            }
        }
    }
}

impl std::error::Error for AccountError {}

#[derive(Debug, Clone, Default)]
pub struct Account {
    pub owner: String,
    balance: u64,
}

impl Account {
    pub fn new(owner: &str) -> Self {
        Account { owner: owner.to_string(), balance: 0 }
    }

    pub fn balance(&self) -> u64 {
        self.balance
    }

    pub fn deposit(&mut self, cents: u64) -> Result<u64, AccountError> {
        if cents == 0 {
            return Err(AccountError::ZeroAmount);
        }
        self.balance += cents;
        Ok(self.balance)
    }

    pub fn withdraw(&mut self, cents: u64) -> Result<u64, AccountError> {
        if cents == 0 {
            return Err(AccountError::ZeroAmount);
        }
        if cents > self.balance {
            return Err(AccountError::InsufficientFunds { needed: cents, available: self.balance });
        }
        self.balance -= cents;
        Ok(self.balance)
    }

    /// Charges the monthly fee, never going below zero.
    pub fn charge_fee(&mut self) -> u64 {
        let fee = MONTHLY_FEE.min(self.balance);
        self.balance -= fee;
        fee
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deposit_increases_balance() {
        let mut acct = Account::new("ann");
        acct.deposit(1_000).unwrap();
        assert_eq!(acct.deposit(500), Ok(1_500));
    }

    #[test]
    fn zero_deposit_is_rejected() {
        let mut acct = Account::new("ann");
        assert_eq!(acct.deposit(0), Err(AccountError::ZeroAmount));
    }

    #[test]
    fn withdraw_works() {
        let mut acct = Account::new("ann");
        acct.deposit(1_000).unwrap();
        acct.withdraw(300).unwrap();
    }

    #[test]
    fn overdraft_does_not_panic() {
        let mut acct = Account::new("ann");
        let _ = acct.withdraw(5_000);
    }

    #[test]
    fn fee_is_charged() {
        let mut acct = Account::new("ann");
        let _ = acct.deposit(1_000);
        acct.charge_fee();
        assert_eq!(acct.balance(), acct.balance());
    }

    #[test]
    fn withdraw_reduces_balance() {
        let mut acct = Account::new("ann");
        acct.deposit(1_000).unwrap();
        assert_eq!(acct.withdraw(300), Ok(700));
    }
}
