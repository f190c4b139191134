# Le pagine per gli ospiti (L1, L3): ogni parola che mostrano. Le pagine sono generate da questo file in fase di
# compilazione ({{t:key}} nell’HTML), e gli script leggono gli stessi messaggi tramite i18n.js.

## Ogni pagina
language-label = Lingua
language-apply = Cambia
minutes = { $minutes } min
page-failed = Qualcosa è andato storto: { $error }
signed-in-as = Accesso effettuato come
sign-out = Esci
field-subject = l’oggetto
field-name = il tuo nome
field-email = il tuo indirizzo email
field-members = i partecipanti aggiuntivi
field-message = il tuo messaggio
field-code = il codice

## Rifiuti, come li legge un ospite
problem-network = Impossibile raggiungere il servizio. Controlla la connessione e riprova.
problem-unexpected = Il servizio ha dato una risposta inattesa. Riprova.
problem-unavailable = Il servizio è momentaneamente occupato. Riprova.
problem-slot-taken = Spiacenti, quell’orario è appena stato prenotato. Scegline un altro.
problem-time-gone = Quell’orario non è più prenotabile. Scegline un altro.
problem-guest-cap = Hai già il numero massimo di appuntamenti consentiti qui. Potrai prenotarne un altro quando uno sarà passato o annullato.
problem-guest-cap-with = Hai già il numero massimo di appuntamenti consentiti con { $agent }. Potrai prenotarne un altro quando uno sarà passato o annullato.
problem-meeting-cancelled = Questo appuntamento è stato annullato e non può più essere modificato.
problem-meeting-started = Questo appuntamento è già iniziato e non può più essere modificato.
problem-version-conflict = L’appuntamento è stato modificato nel frattempo. Ora lo vedi aggiornato; riprova.
problem-code-incorrect = Il codice non è corretto. Controlla l’email più recente e riprova.
problem-code-expired = Questo codice è scaduto. L’orario non è più riservato: sceglilo di nuovo.
problem-already-confirmed = Questa prenotazione è già confermata. Trovi l’invito nella tua email.
problem-too-many-holds = Hai diverse prenotazioni in attesa del codice. Confermane una dalla tua email, oppure attendi dieci minuti.
problem-too-many-codes = Nell’ultima ora abbiamo inviato diversi codici a questo indirizzo. Usa il più recente o riprova più tardi.
problem-page-busy = In questo momento ci sono troppe prenotazioni in attesa. Riprova tra qualche minuto.
problem-too-many-changes = Questo appuntamento è stato modificato molte volte oggi. Riprova domani o scrivi all’organizzatore.
problem-too-many-messages = Hai scritto molti messaggi in poco tempo. Attendi qualche minuto.
problem-unauthorized = Questo link non è valido. Usa il link ricevuto via email.
problem-not-found = Questo link non esiste o non è più valido.
problem-check-field = Controlla { $field }.
problem-check-input = Controlla i dati inseriti.
problem-generic = Qualcosa è andato storto. Riprova.

## La pagina di prenotazione
booking-title = Prenota un appuntamento
booking-eyebrow = Prenota un appuntamento con
booking-title-with = Prenota un appuntamento con { $agent }
booking-not-found-heading = Link di prenotazione non trovato
booking-not-found = Questo link di prenotazione non esiste. Controlla l’indirizzo che hai ricevuto.
booking-signed-in-before = Hai già prenotato qui? Accedi
booking-mine = I tuoi appuntamenti
booking-pick = Scegli un orario
booking-duration = Durata
booking-zone = Fuso orario
booking-details = I tuoi dati
booking-subject = Oggetto
booking-name = Il tuo nome
booking-email = Email
booking-members = Partecipanti aggiuntivi
booking-members-hint = indirizzi email, separati da virgole
booking-schedule = Prenota
booking-change-time = Scegli un altro orario
chosen-slot = { $when } ({ $zone }), { $minutes } min
booked-heading = Il tuo appuntamento è prenotato
booked-summary = { $subject }: { $when } ({ $zone }), { $minutes } min
booked-summary-with = { $subject }: { $when } ({ $zone }), { $minutes } min, con { $agent }
booked-sent = Ti abbiamo inviato un’email con un invito. Conserva questo link per spostare, modificare o annullare:
booked-manage = Gestisci il tuo appuntamento

## Accesso e passaggio del codice
sign-in-heading = Accedi
sign-in-explain = Ti invieremo via email un codice di sei cifre e un link. Dopo l’accesso vedi qui i tuoi appuntamenti e le conversazioni, puoi scriverci e le tue prenotazioni vengono confermate subito.
sign-in-email = Il tuo indirizzo email
sign-in-send = Inviami un codice
sign-in-not-now = Non ora
verify-heading = Controlla la tua email
verify-code = Codice
verify-confirm = Conferma
verify-resend = Invia un nuovo codice
verify-what = { $subject }: { $chosen }
verify-sent = Abbiamo inviato un codice di sei cifre a { $email }. Inseriscilo qui o usa il link nell’email.
verify-sent-again = Abbiamo inviato un nuovo codice a { $email }; quello precedente non funziona più.
verify-held-until = L’orario è riservato per te fino alle { $time } (mancano { $left }).
verify-code-works-until = Il codice è valido fino alle { $time } (mancano { $left }).
time-in-zone = { $time } ora di { $zone }
verify-expired = Il codice è scaduto.
verify-six-digits = Inserisci le sei cifre ricevute via email.

## Il calendario in cui si sceglie un orario
picker-previous = Mese precedente
picker-next = Mese successivo
picker-keys = Usa le frecce per spostarti tra le opzioni e Invio per scegliere.
picker-times = Orari
picker-day-free = { $day }, orari liberi: { $count }
picker-day-none = { $day }, nessun orario libero
picker-none = Nessun orario libero questo mese.

## La scheda di un appuntamento (pagine di gestione e di conversazione)
when-zone = { $when } ({ $zone })
card-move-here = Sposta qui
card-change = Modifica questo appuntamento
card-change-duration = Cambia la durata
card-save-duration = Salva la durata
card-reschedule = Sposta
card-cancel = Annulla l’appuntamento
card-keep-time = Mantieni l’orario attuale
card-pick-new = Scegli un nuovo orario
card-when = Quando
card-status = Stato
card-cancelled = Annullato
card-scheduled = In programma
card-move-to = Sposta a { $when }
card-duration-changed = La durata è stata modificata. Tutti hanno ricevuto un invito aggiornato.
card-moved = L’appuntamento è stato spostato. Tutti hanno ricevuto un invito aggiornato.
card-cancel-ask = Annullare questo appuntamento? Tutti verranno avvisati.
card-cancelled-notice = L’appuntamento è stato annullato. Tutti sono stati avvisati.

## La pagina della conversazione
conversation-title = Conversazione
conversation-title-with = { $title } – Conversazione
conversation-sign-in-to-open = Accedi per aprire questa conversazione
conversation-not-yours = Questa conversazione non è tra le tue. Accedi con l’indirizzo con cui hai prenotato.
conversation-members = Partecipanti: { $count }
conversation-sign-in-to-write = Accedi per scrivere
conversation-meetings = Appuntamenti
conversation-messages = Messaggi
conversation-older = Mostra i messaggi precedenti
conversation-your-message = Il tuo messaggio
conversation-send = Invia
conversation-mute = Nessuna email per i nuovi messaggi
conversation-read-only = Stai leggendo tramite il link della conversazione. Accedi per scrivere.
conversation-write-first = Scrivi prima un messaggio.
event-meeting-booked = Appuntamento prenotato: «{ $subject }», { $when }
event-meeting-rescheduled = Appuntamento spostato da { $from } a { $to }
event-duration-changed = Durata dell’appuntamento cambiata da { $from } a { $to } min
event-subject-changed = Oggetto dell’appuntamento cambiato da «{ $from }» a «{ $to }»
event-meeting-cancelled = Appuntamento annullato: { $when }
event-renamed = Conversazione rinominata in «{ $title }»
event-renamed-reset = Nome della conversazione reimpostato
event-assigned = Conversazione assegnata a { $agent } ({ $service })
event-reminder-sent = Promemoria inviato: l’appuntamento di { $when } inizia tra { $minutes } min
event-email-bounced = L’email a { $name } è stata respinta: potrebbe non avere l’invito più recente e non riceverà altre email
event-email-complaint = { $name } ha segnalato un’email come spam: non riceverà altre email
event-agent-left = { $agent } non è più disponibile; la conversazione è in attesa di { $service }
event-service-removed = Il servizio { $service } è stato rimosso; la conversazione è in attesa di { $agent }
event-meeting-handed-over = L’appuntamento ora è con { $to } ({ $from } non è più disponibile)
event-meeting-rehosted = L’appuntamento ora è con { $to } ({ $from } non è libero al nuovo orario)
event-unsubscribed = { $name } ha disattivato le email su questa conversazione

## La pagina di gestione
manage-title = Il tuo appuntamento
manage-eyebrow = Il tuo appuntamento
manage-not-found-heading = Appuntamento non trovato
manage-open-from-email = Apri questa pagina dal link nella tua email, oppure accedi dalla pagina di prenotazione.
manage-conversation = Apri la conversazione

## Le pagine a un clic (confermare una prenotazione, accedere, interrompere le email)
confirm-title = Conferma la tua prenotazione
confirm-eyebrow = Un ultimo passaggio
confirm-explain = Premi il pulsante per confermare l’appuntamento che hai prenotato. Fino ad allora, l’orario è solo riservato per te.
confirm-button = Conferma la mia prenotazione
link-sign-in-eyebrow = Un clic
link-sign-in-explain = Premi il pulsante per accedere con l’indirizzo a cui è stata inviata questa email. Dopo l’accesso vedi i tuoi appuntamenti e le conversazioni, e le tue prenotazioni vengono confermate subito.
link-sign-in-button = Accedi
link-sign-in-done = Accesso effettuato
link-sign-in-go-on = Continua
unsubscribe-title = Interrompi le email
unsubscribe-eyebrow = Le tue email
unsubscribe-heading = Interrompi le email su questa conversazione
unsubscribe-explain = Non riceverai più email su questa conversazione: né messaggi, né modifiche, né promemoria. Tutti i partecipanti vedranno che le hai disattivate.
unsubscribe-button = Interrompi queste email
unsubscribe-done-heading = Fatto
unsubscribe-done = { $email } non riceverà più email su «{ $conversation }».
console-title = Console
