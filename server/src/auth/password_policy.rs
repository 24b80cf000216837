//! What a password set through a sign-in link must be, after NIST SP
//! 800-63B (5.1.1.2): long enough, not the person's email, not one of the
//! passwords everyone tries first, not a run of one character or a plain
//! sequence. No composition rules (they make passwords worse, not better).

use super::password::MAX_PASSWORD_LEN;
use lanyard_wire::MIN_PASSWORD_CHARS;

/// Passwords of 12 or more characters found at the top of breached-password
/// lists and guessed first by every attacker, lowercased.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456789000",
    "000000000000",
    "111111111111",
    "123123123123",
    "121212121212",
    "qwertyuiopasdf",
    "qwertyuiop123",
    "qwerty123456",
    "qwertyqwerty",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "q1w2e3r4t5y6",
    "1234qwerasdf",
    "asdfghjklasd",
    "zxcvbnm12345",
    "abcdefghijkl",
    "abc123abc123",
    "password1234",
    "password12345",
    "password123!",
    "passwordpassword",
    "passw0rd1234",
    "p@ssw0rd1234",
    "p@ssword1234",
    "changeme1234",
    "iloveyou1234",
    "iloveyouiloveyou",
    "administrator",
    "administrator1",
    "letmein12345",
    "welcome12345",
    "welcome123!",
    "welcome2024!",
    "welcome2025!",
    "welcome2026!",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "monkey123456",
    "dragon123456",
    "trustno1trustno1",
    "starwars1234",
    "superman1234",
    "computer1234",
    "correcthorsebatterystaple",
    "correct horse battery staple",
    "lanyard12345",
    "lanyardlanyard",
    "lanyard123456",
    "employee1234",
    "directory123",
    "company12345",
    "summer2026!!",
    "winter2026!!",
];

/// Why a password is refused, as a sentence for the person choosing it.
pub fn check(password: &str, email: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Choose a password of at least {MIN_PASSWORD_CHARS} characters; a few words together are easy to remember."
        ));
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(format!(
            "Choose a password of at most {MAX_PASSWORD_LEN} bytes."
        ));
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lower == email || (!local.is_empty() && lower == local) || lower.contains(&email) {
        return Err("Choose a password that is not your email address.".to_owned());
    }
    if COMMON.contains(&lower.as_str()) || one_character(&lower) || sequence(&lower) {
        return Err(
            "This password is one of the first that anyone would guess. Choose another.".to_owned(),
        );
    }
    Ok(())
}

/// `aaaaaaaaaaaa`, or one short piece repeated (`abcabcabcabc`).
fn one_character(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (1..=3).any(|n| chars.len().is_multiple_of(n) && chars.chunks(n).all(|c| c == &chars[..n]))
}

/// Consecutive characters, up or down: `123456789012` wraps, `abcdefghijkl`.
fn sequence(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    let codes: Vec<u32> = text.chars().map(u32::from).collect();
    let steps = |values: &[u32], modulo: Option<u32>| {
        values.len() == text.chars().count()
            && [1i64, -1].iter().any(|&dir| {
                values.windows(2).all(|w| {
                    let step = i64::from(w[1]) - i64::from(w[0]);
                    step == dir
                        || modulo.is_some_and(|m| {
                            step.rem_euclid(i64::from(m)) == dir.rem_euclid(i64::from(m))
                        })
                })
            })
    };
    steps(&digits, Some(10)) || steps(&codes, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMAIL: &str = "Ada.Lovelace@lanyard.example";

    #[test]
    fn twelve_characters_and_more_are_accepted() {
        assert!(check("purple otter kite", EMAIL).is_ok());
        assert!(check("Tr0ub4dor&3xy", EMAIL).is_ok());
        assert!(check("été à Orléans", EMAIL).is_ok());
    }

    #[test]
    fn shorter_ones_are_refused_by_characters_not_bytes() {
        assert!(check("elevenchars", EMAIL).unwrap_err().contains("12"));
        // 11 characters, 22 bytes.
        assert!(check(&"é".repeat(11), EMAIL).is_err());
    }

    #[test]
    fn the_email_is_not_a_password() {
        for bad in [
            "ada.lovelace@lanyard.example",
            "ADA.LOVELACE",
            "x-ada.lovelace@lanyard.example",
        ] {
            let err = check(bad, EMAIL).unwrap_err();
            assert!(err.contains("email"), "{bad}: {err}");
        }
    }

    #[test]
    fn common_repeated_and_sequential_ones_are_refused() {
        for bad in [
            "Password1234",
            "CorrectHorseBatteryStaple",
            "aaaaaaaaaaaaaaa",
            "abcabcabcabc",
            "123456789012",
            "987654321098",
            "abcdefghijklm",
            "zyxwvutsrqpo",
        ] {
            let err = check(bad, EMAIL).unwrap_err();
            assert!(err.contains("guess"), "{bad}: {err}");
        }
    }

    #[test]
    fn overlong_ones_are_refused() {
        assert!(check(&"x y".repeat(400), EMAIL).is_err());
    }
}
