# Le email e gli inviti (L1, L2): ogni loro parola, nella lingua del destinatario. Il testo degli
# utenti (oggetti, nomi, messaggi) non viene mai tradotto, solo inserito.

## Ogni email
mail-hello = Ciao { $name },
mail-label-subject = Oggetto
mail-label-when = Quando
mail-label-with = Con
mail-label-previously = In precedenza
mail-label-previous-subject = Oggetto precedente
mail-label-also-invited = Altri invitati
mail-label-manage = Gestisci
mail-manage-use-confirmation = usa il link nella conferma della prenotazione
mail-link-manage = Sposta, modifica o annulla
mail-link-console-meeting = Apri nella console
mail-link-conversation = Conversazione
mail-link-unsubscribe = Interrompi le email su questa conversazione
mail-reference = Riferimento dell’appuntamento: { $id }

## Le email di un appuntamento, secondo cosa è successo
mail-booked-headline = È stato prenotato un appuntamento.
mail-booked-subject = Appuntamento prenotato: { $subject }
mail-changed-headline = Un appuntamento è stato modificato.
mail-changed-subject = Appuntamento aggiornato: { $subject }
mail-cancelled-headline = Un appuntamento è stato annullato.
mail-cancelled-subject = Appuntamento annullato: { $subject }
mail-reminder-headline = Il tuo appuntamento inizia tra { $minutes } min.
mail-reminder-subject = Promemoria: { $subject }, ore { $time }
mail-assigned-headline = È stata assegnata una conversazione.
mail-assigned-subject = Assegnata: { $subject }
mail-handed-over-headline = Questo appuntamento ora è con { $agent }: { $previous } non è più disponibile.
mail-manage-link-headline = Il tuo appuntamento ha un nuovo link per spostarlo, modificarlo o annullarlo. Il link precedente non funziona più.
mail-manage-link-subject = Nuovo link per il tuo appuntamento: { $subject }
mail-invitation-summary = { $subject } con { $with }

## Codici
mail-label-code = Codice
mail-label-valid-until = Valido fino a
mail-confirm-headline = Conferma la tua prenotazione con questo codice o con il link qui sotto. Fino ad allora l’orario è solo riservato per te.
mail-confirm-subject = { $code } è il tuo codice per confermare la prenotazione
mail-console-sign-in-headline = Accedi alla console con questo codice.
mail-console-sign-in-subject = { $code } è il tuo codice di accesso alla console
mail-sign-in-headline = Accedi con questo codice per vedere i tuoi appuntamenti con { $agent }.
mail-sign-in-subject = { $code } è il tuo codice di accesso
mail-link-confirm = Conferma la mia prenotazione
mail-link-sign-in = Accedi senza codice
mail-code-footer = Se non l’hai richiesto tu, ignora questa email: senza il codice non viene prenotato nulla.

## Per agenti e amministratori
mail-calendar-headline = Uno dei tuoi calendari collegati non è leggibile. Finché non lo sarà, i suoi impegni non vengono esclusi dai tuoi orari liberi, quindi gli ospiti potrebbero prenotare quando hai già altri impegni.
mail-calendar-subject = Un calendario collegato non è leggibile
mail-label-calendar = Calendario
mail-label-why = Motivo
mail-link-calendars = I tuoi calendari nella console
mail-calendar-footer = Ricevi questa email al massimo una volta al giorno per ciascun calendario.
mail-webhook-headline = Un endpoint webhook ha avuto errori per un giorno ed è stato disattivato: non riceverà altri eventi finché non verrà riattivato. Il suo registro mostra cosa ha risposto.
mail-webhook-subject = Un endpoint webhook è stato disattivato
mail-label-endpoint = Endpoint
mail-link-console = La console
mail-webhook-footer = Le consegne mancate possono essere inviate di nuovo dal suo registro.

## Il riepilogo dei nuovi messaggi di una conversazione
mail-digest-subject-one = Nuovo messaggio da { $author } in { $title }
mail-digest-subject-many = { $count } nuovi messaggi in { $title }
mail-digest-intro = Novità nella conversazione «{ $title }»:
mail-digest-earlier = Messaggi precedenti nella pagina della conversazione: { $count }
mail-digest-read-reply = Leggi e rispondi
mail-digest-footer = Ricevi questa email perché partecipi a questa conversazione e non hai letto questi messaggi. Per non riceverle più, silenzia la conversazione nella sua pagina oppure usa il link qui sotto.
