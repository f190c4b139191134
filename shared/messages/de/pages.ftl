# Die Gästeseiten (L1, L3): jedes Wort, das sie zeigen. Die Seiten werden beim Kompilieren aus dieser
# Datei erzeugt ({{t:key}} im HTML), und die Skripte lesen dieselben Texte über i18n.js.

## Jede Seite
language-label = Sprache
language-apply = Ändern
minutes = { $minutes } Min.
page-failed = Etwas ist schiefgelaufen: { $error }
signed-in-as = Angemeldet als
sign-out = Abmelden
field-subject = den Betreff
field-name = Ihren Namen
field-email = Ihre E-Mail-Adresse
field-members = die weiteren Teilnehmer
field-message = Ihre Nachricht
field-code = den Code

## Ablehnungen, wie Gäste sie lesen
problem-network = Der Dienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.
problem-unexpected = Der Dienst hat unerwartet geantwortet. Bitte versuchen Sie es erneut.
problem-unavailable = Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es erneut.
problem-slot-taken = Diese Zeit wurde leider gerade vergeben. Bitte wählen Sie eine andere.
problem-time-gone = Diese Zeit kann nicht mehr gebucht werden. Bitte wählen Sie eine andere.
problem-guest-cap = Sie haben hier bereits die maximal erlaubte Zahl an Terminen. Sie können einen weiteren buchen, sobald einer vorbei ist oder abgesagt wurde.
problem-guest-cap-with = Sie haben bereits die maximal erlaubte Zahl an Terminen mit { $agent }. Sie können einen weiteren buchen, sobald einer vorbei ist oder abgesagt wurde.
problem-meeting-cancelled = Dieser Termin wurde abgesagt und kann nicht mehr geändert werden.
problem-meeting-started = Dieser Termin hat bereits begonnen und kann nicht mehr geändert werden.
problem-version-conflict = Der Termin wurde inzwischen geändert. Er wird jetzt im aktuellen Stand angezeigt; bitte versuchen Sie es erneut.
problem-code-incorrect = Dieser Code ist nicht richtig. Prüfen Sie die neueste E-Mail und versuchen Sie es erneut.
problem-code-expired = Dieser Code ist abgelaufen. Die Zeit ist nicht mehr für Sie reserviert: Bitte wählen Sie sie erneut.
problem-already-confirmed = Diese Buchung ist bereits bestätigt. Die Einladung finden Sie in Ihren E-Mails.
problem-too-many-holds = Mehrere Ihrer Buchungen warten auf ihren Code. Bestätigen Sie eine über Ihre E-Mail oder warten Sie zehn Minuten.
problem-too-many-codes = Wir haben dieser Adresse in der letzten Stunde mehrere Codes gesendet. Verwenden Sie den neuesten oder versuchen Sie es später erneut.
problem-page-busy = Hier warten gerade zu viele Buchungen. Bitte versuchen Sie es in ein paar Minuten erneut.
problem-too-many-changes = Dieser Termin wurde heute sehr oft geändert. Bitte versuchen Sie es morgen erneut oder schreiben Sie dem Organisator.
problem-too-many-messages = Sie haben in kurzer Zeit viele Nachrichten geschrieben. Bitte warten Sie ein paar Minuten.
problem-unauthorized = Dieser Link ist ungültig. Verwenden Sie den Link aus Ihrer E-Mail.
problem-not-found = Dieser Link existiert nicht oder ist nicht mehr gültig.
problem-check-field = Bitte prüfen Sie { $field }.
problem-check-input = Bitte prüfen Sie Ihre Eingaben.
problem-generic = Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.

## Die Buchungsseite
booking-title = Termin buchen
booking-eyebrow = Termin buchen mit
booking-title-with = Termin mit { $agent } buchen
booking-not-found-heading = Buchungslink nicht gefunden
booking-not-found = Dieser Buchungslink existiert nicht. Prüfen Sie die Adresse, die Sie erhalten haben.
booking-signed-in-before = Schon einmal hier gebucht? Anmelden
booking-mine = Ihre Termine
booking-pick = Zeit wählen
booking-duration = Dauer
booking-zone = Zeitzone
booking-details = Ihre Angaben
booking-subject = Betreff
booking-name = Ihr Name
booking-email = E-Mail
booking-members = Weitere Teilnehmer
booking-members-hint = E-Mail-Adressen, durch Kommas getrennt
booking-schedule = Buchen
booking-change-time = Andere Zeit wählen
chosen-slot = { $when } ({ $zone }), { $minutes } Min.
booked-heading = Ihr Termin ist gebucht
booked-summary = { $subject }: { $when } ({ $zone }), { $minutes } Min.
booked-summary-with = { $subject }: { $when } ({ $zone }), { $minutes } Min., mit { $agent }
booked-sent = Wir haben Ihnen eine E-Mail mit einer Einladung gesendet. Bewahren Sie diesen Link auf, um den Termin zu verschieben, zu ändern oder abzusagen:
booked-manage = Termin verwalten

## Anmeldung und Code-Schritt
sign-in-heading = Anmelden
sign-in-explain = Wir senden Ihnen per E-Mail einen sechsstelligen Code und einen Link. Angemeldet sehen Sie hier Ihre Termine und Unterhaltungen, können darin schreiben, und Ihre Buchungen werden sofort bestätigt.
sign-in-email = Ihre E-Mail-Adresse
sign-in-send = Code senden
sign-in-not-now = Nicht jetzt
verify-heading = Prüfen Sie Ihre E-Mails
verify-code = Code
verify-confirm = Bestätigen
verify-resend = Neuen Code senden
verify-what = { $subject }: { $chosen }
verify-sent = Wir haben einen sechsstelligen Code an { $email } gesendet. Geben Sie ihn hier ein oder verwenden Sie den Link in der E-Mail.
verify-sent-again = Wir haben einen neuen Code an { $email } gesendet; der vorherige gilt nicht mehr.
verify-held-until = Die Zeit ist bis { $time } für Sie vorgemerkt (noch { $left }).
verify-code-works-until = Der Code gilt bis { $time } (noch { $left }).
time-in-zone = { $time } Uhr ({ $zone })
verify-expired = Der Code ist abgelaufen.
verify-six-digits = Bitte geben Sie die sechs Ziffern aus der E-Mail ein.

## Der Kalender, in dem eine Zeit gewählt wird
picker-previous = Vorheriger Monat
picker-next = Nächster Monat
picker-keys = Mit den Pfeiltasten wechseln Sie zwischen den Optionen, mit der Eingabetaste wählen Sie aus.
picker-times = Uhrzeiten
picker-day-free = { $day }, freie Zeiten: { $count }
picker-day-none = { $day }, keine freie Zeit
picker-none = In diesem Monat sind keine Zeiten frei.

## Die Karte eines Termins (Verwaltungs- und Unterhaltungsseite)
when-zone = { $when } ({ $zone })
card-move-here = Hierher verschieben
card-change = Diesen Termin ändern
card-change-duration = Dauer ändern
card-save-duration = Dauer speichern
card-reschedule = Verschieben
card-cancel = Termin absagen
card-keep-time = Aktuelle Zeit beibehalten
card-pick-new = Neue Zeit wählen
card-when = Wann
card-status = Status
card-cancelled = Abgesagt
card-scheduled = Geplant
card-move-to = Verschieben auf { $when }
card-duration-changed = Die Dauer wurde geändert. Alle haben eine aktualisierte Einladung erhalten.
card-moved = Der Termin wurde verschoben. Alle haben eine aktualisierte Einladung erhalten.
card-cancel-ask = Diesen Termin absagen? Alle werden benachrichtigt.
card-cancelled-notice = Der Termin wurde abgesagt. Alle wurden benachrichtigt.

## Die Unterhaltungsseite
conversation-title = Unterhaltung
conversation-title-with = { $title } – Unterhaltung
conversation-sign-in-to-open = Melden Sie sich an, um diese Unterhaltung zu öffnen
conversation-not-yours = Diese Unterhaltung gehört nicht zu Ihren. Melden Sie sich mit der Adresse an, mit der Sie gebucht haben.
conversation-members = Teilnehmer: { $count }
conversation-sign-in-to-write = Zum Schreiben anmelden
conversation-meetings = Termine
conversation-messages = Nachrichten
conversation-older = Ältere Nachrichten anzeigen
conversation-your-message = Ihre Nachricht
conversation-send = Senden
conversation-mute = Keine E-Mails zu neuen Nachrichten
conversation-read-only = Sie lesen über den Link der Unterhaltung. Melden Sie sich an, um zu schreiben.
conversation-write-first = Bitte schreiben Sie zuerst eine Nachricht.
event-meeting-booked = Termin gebucht: „{ $subject }“ am { $when }
event-meeting-rescheduled = Termin verschoben von { $from } auf { $to }
event-duration-changed = Termindauer geändert von { $from } auf { $to } Min.
event-subject-changed = Betreff des Termins geändert von „{ $from }“ in „{ $to }“
event-meeting-cancelled = Termin am { $when } abgesagt
event-renamed = Unterhaltung umbenannt in „{ $title }“
event-renamed-reset = Name der Unterhaltung zurückgesetzt
event-assigned = Unterhaltung zugewiesen an { $agent } ({ $service })
event-reminder-sent = Erinnerung gesendet: Der Termin am { $when } beginnt in { $minutes } Min.
event-email-bounced = Die E-Mail an { $name } wurde nicht zugestellt: Die neueste Einladung fehlt dort möglicherweise, und es werden keine E-Mails mehr dorthin gesendet
event-email-complaint = { $name } hat eine E-Mail als Spam markiert und erhält keine E-Mails mehr
event-agent-left = { $agent } ist ausgeschieden; die Unterhaltung wartet auf { $service }
event-service-removed = Der Dienst { $service } wurde entfernt; die Unterhaltung wartet auf { $agent }
event-meeting-handed-over = Der Termin liegt jetzt bei { $to } ({ $from } ist ausgeschieden)
event-meeting-rehosted = Der Termin liegt jetzt bei { $to } ({ $from } ist zur neuen Zeit nicht frei)
event-unsubscribed = { $name } hat E-Mails zu dieser Unterhaltung abbestellt

## Die Verwaltungsseite
manage-title = Ihr Termin
manage-eyebrow = Ihr Termin
manage-not-found-heading = Termin nicht gefunden
manage-open-from-email = Öffnen Sie diese Seite über den Link in Ihrer E-Mail oder melden Sie sich auf der Buchungsseite an.
manage-conversation = Unterhaltung öffnen

## Die Ein-Klick-Seiten (Buchung bestätigen, anmelden, E-Mails abbestellen)
confirm-title = Buchung bestätigen
confirm-eyebrow = Ein letzter Schritt
confirm-explain = Klicken Sie auf die Schaltfläche, um den gebuchten Termin zu bestätigen. Bis dahin ist die Zeit nur vorgemerkt, noch nicht gebucht.
confirm-button = Meine Buchung bestätigen
link-sign-in-eyebrow = Ein Klick
link-sign-in-explain = Klicken Sie auf die Schaltfläche, um sich mit der Adresse anzumelden, an die diese E-Mail gesendet wurde. Angemeldet sehen Sie Ihre Termine und Unterhaltungen, und Ihre Buchungen werden sofort bestätigt.
link-sign-in-button = Anmelden
link-sign-in-done = Sie sind angemeldet
link-sign-in-go-on = Weiter
unsubscribe-title = E-Mails abbestellen
unsubscribe-eyebrow = Ihre E-Mails
unsubscribe-heading = E-Mails zu dieser Unterhaltung abbestellen
unsubscribe-explain = Sie erhalten keine E-Mails mehr zu dieser Unterhaltung: keine Nachrichten, Änderungen oder Erinnerungen. Alle Teilnehmer sehen, dass Sie sie abbestellt haben.
unsubscribe-button = Diese E-Mails abbestellen
unsubscribe-done-heading = Erledigt
unsubscribe-done = { $email } erhält keine E-Mails mehr zu „{ $conversation }“.
console-title = Konsole
