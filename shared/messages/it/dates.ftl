# Dates and times (L2): day and month names and the patterns, after CLDR's "full" and
# "abbreviated" formats. Times are written 24-hour by the code; the zone is always named.

weekday-1 = lunedì
weekday-2 = martedì
weekday-3 = mercoledì
weekday-4 = giovedì
weekday-5 = venerdì
weekday-6 = sabato
weekday-7 = domenica
weekday-short-1 = lun
weekday-short-2 = mar
weekday-short-3 = mer
weekday-short-4 = gio
weekday-short-5 = ven
weekday-short-6 = sab
weekday-short-7 = dom
month-1 = gennaio
month-2 = febbraio
month-3 = marzo
month-4 = aprile
month-5 = maggio
month-6 = giugno
month-7 = luglio
month-8 = agosto
month-9 = settembre
month-10 = ottobre
month-11 = novembre
month-12 = dicembre
month-short-1 = gen
month-short-2 = feb
month-short-3 = mar
month-short-4 = apr
month-short-5 = mag
month-short-6 = giu
month-short-7 = lug
month-short-8 = ago
month-short-9 = set
month-short-10 = ott
month-short-11 = nov
month-short-12 = dic
date-full = { $weekday } { $day } { $month } { $year }
date-short = { $weekday } { $day } { $month }
date-when = { $date }, { $start }–{ $end } ({ $zone })
date-time-in = { $time } ({ $zone })
date-stamp = { $date }, { $time }
# The first of the month, where a language writes it apart (French: 1er).
date-day-1 = 1
