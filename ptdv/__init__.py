"""PTĐV — Phát triển đảng viên."""
