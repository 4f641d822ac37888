"""One-way exports of approved stories for the publishing system: Hugo, ninjs, HTML."""
