"""Health (y tế): encounters from hospital software (XML 130/QĐ-BYT table XML1), pseudonymised."""
