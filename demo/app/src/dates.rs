//! Calendar dates as `YYYY-MM-DD` strings, which sort like the dates they
//! name; small civil-calendar helpers for the booking calendar.

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Today in the browser's time zone.
    pub fn today() -> Self {
        let now = js_sys::Date::new_0();
        Self {
            year: now.get_full_year() as i32,
            month: now.get_month() + 1,
            day: now.get_date(),
        }
    }

    /// The first day of this date's month.
    pub fn first_of_month(self) -> Self {
        Self { day: 1, ..self }
    }

    /// The first day of the next month.
    pub fn next_month(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                day: 1,
                ..self
            }
        }
    }

    /// The first day of the previous month.
    pub fn previous_month(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
                day: 1,
            }
        } else {
            Self {
                month: self.month - 1,
                day: 1,
                ..self
            }
        }
    }

    /// The next day.
    pub fn succ(self) -> Self {
        if self.day < days_in_month(self.year, self.month) {
            Self { day: self.day + 1, ..self }
        } else {
            self.next_month()
        }
    }

    /// Day of the week, 0 = Monday.
    pub fn weekday(self) -> u32 {
        // Sakamoto's method, shifted so Monday is 0.
        const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        let y = if self.month < 3 { self.year - 1 } else { self.year };
        let sunday_based = (y + y / 4 - y / 100 + y / 400 + T[(self.month - 1) as usize] + self.day as i32).rem_euclid(7);
        ((sunday_based + 6) % 7) as u32
    }

    /// "December 2026".
    pub fn month_title(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {}", NAMES[(self.month - 1) as usize], self.year)
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}
