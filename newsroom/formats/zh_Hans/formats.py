# Django's Chinese formats, but a month and day as printed in the paper: 3月4日, not 03月4日.
MONTH_DAY_FORMAT = "n月j日"
