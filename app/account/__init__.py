"""The person's own data: the privacy notice, consent, the account page, the download of
everything held about them, and a parent deleting their own account."""
