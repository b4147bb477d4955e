"""The audit log page: the trail `app/audit` keeps, read within the reader's scope (a head
teacher's classes, staff's school). Apart from `audit` because reading needs classes and people,
while writing must stay beneath every feature that writes to it."""
