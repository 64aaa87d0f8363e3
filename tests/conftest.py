"""Shared by both test layers."""
