"""Data in and out: spreadsheets of listings read, previewed, and imported all at once or not at all."""
