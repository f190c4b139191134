# Dates and times (L2): day and month names and the patterns, after CLDR's "full" and
# "abbreviated" formats. Times are written 24-hour by the code; the zone is always named.

weekday-1 = Montag
weekday-2 = Dienstag
weekday-3 = Mittwoch
weekday-4 = Donnerstag
weekday-5 = Freitag
weekday-6 = Samstag
weekday-7 = Sonntag
weekday-short-1 = Mo.
weekday-short-2 = Di.
weekday-short-3 = Mi.
weekday-short-4 = Do.
weekday-short-5 = Fr.
weekday-short-6 = Sa.
weekday-short-7 = So.
month-1 = Januar
month-2 = Februar
month-3 = März
month-4 = April
month-5 = Mai
month-6 = Juni
month-7 = Juli
month-8 = August
month-9 = September
month-10 = Oktober
month-11 = November
month-12 = Dezember
month-short-1 = Jan.
month-short-2 = Feb.
month-short-3 = März
month-short-4 = Apr.
month-short-5 = Mai
month-short-6 = Juni
month-short-7 = Juli
month-short-8 = Aug.
month-short-9 = Sept.
month-short-10 = Okt.
month-short-11 = Nov.
month-short-12 = Dez.
date-full = { $weekday }, { $day }. { $month } { $year }
date-short = { $weekday }, { $day }. { $month }
date-when = { $date }, { $start }–{ $end } ({ $zone })
date-time-in = { $time } ({ $zone })
date-stamp = { $date }, { $time }
# The first of the month, where a language writes it apart (French: 1er).
date-day-1 = 1
