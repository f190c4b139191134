# Die E-Mails und Einladungen (L1, L2): jedes Wort darin, in der Sprache des Empfängers. Text von
# Nutzern (Betreffe, Namen, Nachrichten) wird nie übersetzt, nur eingesetzt.

## Jede E-Mail
mail-hello = Hallo { $name },
mail-label-subject = Betreff
mail-label-when = Wann
mail-label-with = Mit
mail-label-previously = Bisher
mail-label-previous-subject = Bisheriger Betreff
mail-label-also-invited = Ebenfalls eingeladen
mail-label-manage = Verwalten
mail-manage-use-confirmation = über den Link in Ihrer Buchungsbestätigung
mail-link-manage = Verschieben, ändern oder absagen
mail-link-console-meeting = In der Konsole öffnen
mail-link-conversation = Unterhaltung
mail-link-unsubscribe = E-Mails zu dieser Unterhaltung abbestellen
mail-reference = Terminreferenz: { $id }

## Die E-Mails eines Termins, je nach Ereignis
mail-booked-headline = Ein Termin wurde gebucht.
mail-booked-subject = Termin gebucht: { $subject }
mail-changed-headline = Ein Termin wurde geändert.
mail-changed-subject = Termin aktualisiert: { $subject }
mail-cancelled-headline = Ein Termin wurde abgesagt.
mail-cancelled-subject = Termin abgesagt: { $subject }
mail-reminder-headline = Ihr Termin beginnt in { $minutes } Min.
mail-reminder-subject = Erinnerung: { $subject } um { $time }
mail-assigned-headline = Eine Unterhaltung wurde zugewiesen.
mail-assigned-subject = Zugewiesen: { $subject }
mail-handed-over-headline = Dieser Termin liegt jetzt bei { $agent }: { $previous } ist ausgeschieden.
mail-manage-link-headline = Ihr Termin hat einen neuen Link zum Verschieben, Ändern oder Absagen. Der bisherige Link funktioniert nicht mehr.
mail-manage-link-subject = Neuer Link für Ihren Termin: { $subject }
mail-invitation-summary = { $subject } mit { $with }

## Codes
mail-label-code = Code
mail-label-valid-until = Gültig bis
mail-confirm-headline = Bestätigen Sie Ihre Buchung mit diesem Code oder über den Link unten. Bis dahin ist die Zeit nur vorgemerkt, noch nicht gebucht.
mail-confirm-subject = { $code } ist Ihr Code zur Bestätigung Ihrer Buchung
mail-console-sign-in-headline = Melden Sie sich mit diesem Code in der Konsole an.
mail-console-sign-in-subject = { $code } ist Ihr Anmeldecode für die Konsole
mail-sign-in-headline = Melden Sie sich mit diesem Code an, um Ihre Termine mit { $agent } zu sehen.
mail-sign-in-subject = { $code } ist Ihr Anmeldecode
mail-link-confirm = Meine Buchung bestätigen
mail-link-sign-in = Ohne Code anmelden
mail-code-footer = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ohne den Code wird nichts gebucht.

## An Mitarbeitende und Administratoren
mail-calendar-headline = Einer Ihrer verbundenen Kalender kann nicht gelesen werden. Bis das behoben ist, fehlen seine belegten Zeiten in Ihren freien Zeiten, sodass Gäste Zeiten buchen können, in denen Sie schon verplant sind.
mail-calendar-subject = Ein verbundener Kalender kann nicht gelesen werden
mail-label-calendar = Kalender
mail-label-why = Grund
mail-link-calendars = Ihre Kalender in der Konsole
mail-calendar-footer = Sie erhalten diese E-Mail höchstens einmal pro Tag und Kalender.
mail-webhook-headline = Ein Webhook-Endpunkt ist einen Tag lang fehlgeschlagen und wurde deaktiviert: Er erhält keine Ereignisse mehr, bis er wieder aktiviert wird. Sein Protokoll zeigt, was er geantwortet hat.
mail-webhook-subject = Ein Webhook-Endpunkt wurde deaktiviert
mail-label-endpoint = Endpunkt
mail-link-console = Zur Konsole
mail-webhook-footer = Die verpassten Zustellungen können aus seinem Protokoll erneut gesendet werden.

## Die Zusammenfassung neuer Nachrichten einer Unterhaltung
mail-digest-subject-one = Neue Nachricht von { $author } in { $title }
mail-digest-subject-many = { $count } neue Nachrichten in { $title }
mail-digest-intro = Neu in der Unterhaltung „{ $title }“:
mail-digest-earlier = Ältere Nachrichten auf der Seite der Unterhaltung: { $count }
mail-digest-read-reply = Lesen und antworten
mail-digest-footer = Sie erhalten diese E-Mail, weil Sie an dieser Unterhaltung teilnehmen und diese Nachrichten noch nicht gelesen haben. Um diese E-Mails abzubestellen, schalten Sie die Unterhaltung auf ihrer Seite stumm oder verwenden Sie den Link unten.
