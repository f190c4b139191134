# Dates and times (L2): day and month names and the patterns, after CLDR's "full" and
# "abbreviated" formats. Times are written 24-hour by the code; the zone is always named.

weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
weekday-short-1 = Mon
weekday-short-2 = Tue
weekday-short-3 = Wed
weekday-short-4 = Thu
weekday-short-5 = Fri
weekday-short-6 = Sat
weekday-short-7 = Sun
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
date-full = { $weekday } { $day } { $month } { $year }
date-short = { $weekday } { $day } { $month }
date-when = { $date }, { $start }–{ $end } ({ $zone })
date-time-in = { $time } ({ $zone })
date-stamp = { $date }, { $time }
# The first of the month, where a language writes it apart (French: 1er).
date-day-1 = 1
