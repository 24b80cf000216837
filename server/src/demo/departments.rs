//! The made-up company's departments (their share of the company, titles
//! and jobs) and locations: the data [`super::company`] generates from.

/// One department: its name, share of the company, head's title, manager
/// title and the jobs its individual contributors do.
pub struct Department {
    pub name: &'static str,
    pub weight: u32,
    pub head: &'static str,
    pub manager: &'static str,
    pub jobs: &'static [&'static str],
}

pub const DEPARTMENTS: &[Department] = &[
    Department {
        name: "Engineering",
        weight: 28,
        head: "VP of Engineering",
        manager: "Engineering Manager",
        jobs: &[
            "Software Engineer",
            "Backend Engineer",
            "Frontend Engineer",
            "Site Reliability Engineer",
            "Data Engineer",
            "QA Engineer",
            "Security Engineer",
        ],
    },
    Department {
        name: "Design",
        weight: 6,
        head: "Head of Design",
        manager: "Design Manager",
        jobs: &[
            "Product Designer",
            "UX Researcher",
            "Visual Designer",
            "Content Designer",
        ],
    },
    Department {
        name: "Product",
        weight: 7,
        head: "VP of Product",
        manager: "Group Product Manager",
        jobs: &[
            "Product Manager",
            "Product Analyst",
            "Technical Program Manager",
        ],
    },
    Department {
        name: "Sales",
        weight: 14,
        head: "VP of Sales",
        manager: "Sales Manager",
        jobs: &[
            "Account Executive",
            "Sales Development Representative",
            "Solutions Engineer",
        ],
    },
    Department {
        name: "Marketing",
        weight: 8,
        head: "VP of Marketing",
        manager: "Marketing Manager",
        jobs: &[
            "Content Marketer",
            "Growth Marketer",
            "Product Marketing Manager",
            "Brand Designer",
        ],
    },
    Department {
        name: "Customer Success",
        weight: 10,
        head: "VP of Customer Success",
        manager: "Support Team Lead",
        jobs: &[
            "Customer Success Manager",
            "Support Specialist",
            "Onboarding Specialist",
        ],
    },
    Department {
        name: "Finance",
        weight: 6,
        head: "Chief Financial Officer",
        manager: "Finance Manager",
        jobs: &["Accountant", "Financial Analyst", "Payroll Specialist"],
    },
    Department {
        name: "People",
        weight: 6,
        head: "Chief People Officer",
        manager: "People Partner Lead",
        jobs: &[
            "HR Business Partner",
            "Recruiter",
            "People Operations Specialist",
        ],
    },
    Department {
        name: "Legal",
        weight: 3,
        head: "General Counsel",
        manager: "Legal Manager",
        jobs: &["Corporate Counsel", "Paralegal", "Privacy Counsel"],
    },
    Department {
        name: "Operations",
        weight: 8,
        head: "VP of Operations",
        manager: "Operations Manager",
        jobs: &[
            "Operations Analyst",
            "IT Specialist",
            "Office Manager",
            "Procurement Specialist",
        ],
    },
];

/// Where people work, and how many (relatively) work there.
pub const LOCATIONS: &[(&str, u32)] = &[
    ("Lisbon", 20),
    ("Berlin", 20),
    ("Toronto", 15),
    ("Austin", 15),
    ("Singapore", 10),
    ("Remote", 20),
];

/// Every department name, in the generator's order.
pub fn department_names() -> impl Iterator<Item = &'static str> {
    DEPARTMENTS.iter().map(|d| d.name)
}

/// Every location name.
pub fn location_names() -> impl Iterator<Item = &'static str> {
    LOCATIONS.iter().map(|(name, _)| *name)
}
