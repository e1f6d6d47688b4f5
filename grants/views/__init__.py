"""HTTP for grants: ``applicant`` (rounds, organisations, applications) and ``staff`` (cases)."""
