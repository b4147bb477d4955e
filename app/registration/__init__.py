"""Joining a class as a parent: registering with the teacher's join code, adding another child,
and the consent both record. Above `auth` (it makes an account) and `classes` (it links the
guardian); `auth` itself knows nothing of classes."""
