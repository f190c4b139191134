# Les pages invités (L1, L3) : chaque mot qu’elles affichent. Les pages sont générées à partir de ce fichier à la
# compilation ({{t:key}} dans le HTML), et les scripts lisent les mêmes messages via i18n.js.

## Toutes les pages
language-label = Langue
language-apply = Changer
minutes = { $minutes } min
page-failed = Une erreur s’est produite : { $error }
signed-in-as = Connecté en tant que
sign-out = Se déconnecter
field-subject = l’objet
field-name = votre nom
field-email = votre adresse e-mail
field-members = les participants supplémentaires
field-message = votre message
field-code = le code

## Refus, tels que les lit un invité
problem-network = Le service est injoignable. Vérifiez votre connexion et réessayez.
problem-unexpected = Le service a renvoyé une réponse inattendue. Veuillez réessayer.
problem-unavailable = Le service est momentanément occupé. Veuillez réessayer.
problem-slot-taken = Désolé, ce créneau vient d’être pris. Veuillez en choisir un autre.
problem-time-gone = Ce créneau ne peut plus être réservé. Veuillez en choisir un autre.
problem-guest-cap = Vous avez déjà le nombre maximal de rendez-vous autorisé ici. Vous pourrez en réserver un autre une fois l’un d’eux passé ou annulé.
problem-guest-cap-with = Vous avez déjà le nombre maximal de rendez-vous autorisé avec { $agent }. Vous pourrez en réserver un autre une fois l’un d’eux passé ou annulé.
problem-meeting-cancelled = Ce rendez-vous a été annulé et ne peut plus être modifié.
problem-meeting-started = Ce rendez-vous a déjà commencé et ne peut plus être modifié.
problem-version-conflict = Le rendez-vous a été modifié entre-temps. Il est affiché tel qu’il est maintenant ; veuillez réessayer.
problem-code-incorrect = Ce code n’est pas correct. Vérifiez l’e-mail le plus récent et réessayez.
problem-code-expired = Ce code a expiré. Le créneau n’est plus retenu pour vous : veuillez le choisir à nouveau.
problem-already-confirmed = Cette réservation est déjà confirmée. Vous trouverez l’invitation dans vos e-mails.
problem-too-many-holds = Plusieurs de vos réservations attendent leur code. Confirmez-en une depuis votre e-mail, ou patientez dix minutes.
problem-too-many-codes = Nous avons envoyé plusieurs codes à cette adresse au cours de la dernière heure. Utilisez le plus récent, ou réessayez plus tard.
problem-page-busy = Trop de réservations sont en attente ici pour le moment. Veuillez réessayer dans quelques minutes.
problem-too-many-changes = Ce rendez-vous a été modifié de nombreuses fois aujourd’hui. Veuillez réessayer demain ou écrire à l’organisateur.
problem-too-many-messages = Vous avez écrit beaucoup de messages en peu de temps. Veuillez patienter quelques minutes.
problem-unauthorized = Ce lien n’est pas valide. Utilisez le lien reçu par e-mail.
problem-not-found = Ce lien n’existe pas ou n’est plus valide.
problem-check-field = Veuillez vérifier { $field }.
problem-check-input = Veuillez vérifier votre saisie.
problem-generic = Une erreur s’est produite. Veuillez réessayer.

## La page de réservation
booking-title = Prendre rendez-vous
booking-eyebrow = Prendre rendez-vous avec
booking-title-with = Prendre rendez-vous avec { $agent }
booking-not-found-heading = Lien de réservation introuvable
booking-not-found = Ce lien de réservation n’existe pas. Vérifiez l’adresse qui vous a été donnée.
booking-signed-in-before = Déjà réservé ici ? Connectez-vous
booking-mine = Vos rendez-vous
booking-pick = Choisissez un créneau
booking-duration = Durée
booking-zone = Fuseau horaire
booking-details = Vos coordonnées
booking-subject = Objet
booking-name = Votre nom
booking-email = E-mail
booking-members = Participants supplémentaires
booking-members-hint = adresses e-mail, séparées par des virgules
booking-schedule = Réserver
booking-change-time = Choisir un autre créneau
chosen-slot = { $when } ({ $zone }), { $minutes } min
booked-heading = Votre rendez-vous est réservé
booked-summary = { $subject } : { $when } ({ $zone }), { $minutes } min
booked-summary-with = { $subject } : { $when } ({ $zone }), { $minutes } min, avec { $agent }
booked-sent = Nous vous avons envoyé un e-mail avec une invitation. Conservez ce lien pour déplacer, modifier ou annuler :
booked-manage = Gérer votre rendez-vous

## La connexion et l’étape du code
sign-in-heading = Connexion
sign-in-explain = Nous vous enverrons par e-mail un code à six chiffres et un lien. Une fois connecté, vous voyez ici vos rendez-vous et vos conversations, vous pouvez y écrire, et vos réservations sont confirmées immédiatement.
sign-in-email = Votre adresse e-mail
sign-in-send = M’envoyer un code
sign-in-not-now = Pas maintenant
verify-heading = Consultez vos e-mails
verify-code = Code
verify-confirm = Confirmer
verify-resend = Envoyer un nouveau code
verify-what = { $subject } : { $chosen }
verify-sent = Nous avons envoyé un code à six chiffres à { $email }. Saisissez-le ici, ou utilisez le lien de l’e-mail.
verify-sent-again = Nous avons envoyé un nouveau code à { $email } ; le précédent ne fonctionne plus.
verify-held-until = Le créneau est retenu pour vous jusqu’à { $time } (encore { $left }).
verify-code-works-until = Le code est valable jusqu’à { $time } (encore { $left }).
time-in-zone = { $time } heure de { $zone }
verify-expired = Le code a expiré.
verify-six-digits = Veuillez saisir les six chiffres reçus par e-mail.

## Le calendrier où l’on choisit un créneau
picker-previous = Mois précédent
picker-next = Mois suivant
picker-keys = Les flèches permettent de passer d’un choix à l’autre, Entrée valide.
picker-times = Horaires
picker-day-free = { $day }, créneaux libres : { $count }
picker-day-none = { $day }, aucun créneau libre
picker-none = Aucun créneau libre ce mois-ci.

## La fiche d’un rendez-vous (pages de gestion et de conversation)
when-zone = { $when } ({ $zone })
card-move-here = Déplacer ici
card-change = Modifier ce rendez-vous
card-change-duration = Modifier la durée
card-save-duration = Enregistrer la durée
card-reschedule = Déplacer
card-cancel = Annuler le rendez-vous
card-keep-time = Garder l’horaire actuel
card-pick-new = Choisir un nouveau créneau
card-when = Quand
card-status = Statut
card-cancelled = Annulé
card-scheduled = Planifié
card-move-to = Déplacer au { $when }
card-duration-changed = La durée a été modifiée. Tout le monde a reçu une invitation mise à jour.
card-moved = Le rendez-vous a été déplacé. Tout le monde a reçu une invitation mise à jour.
card-cancel-ask = Annuler ce rendez-vous ? Tout le monde sera prévenu.
card-cancelled-notice = Le rendez-vous a été annulé. Tout le monde a été prévenu.

## La page de conversation
conversation-title = Conversation
conversation-title-with = { $title } – Conversation
conversation-sign-in-to-open = Connectez-vous pour ouvrir cette conversation
conversation-not-yours = Cette conversation ne fait pas partie des vôtres. Connectez-vous avec l’adresse utilisée pour réserver.
conversation-members = Participants : { $count }
conversation-sign-in-to-write = Se connecter pour écrire
conversation-meetings = Rendez-vous
conversation-messages = Messages
conversation-older = Afficher les messages précédents
conversation-your-message = Votre message
conversation-send = Envoyer
conversation-mute = Pas d’e-mails pour les nouveaux messages
conversation-read-only = Vous lisez via le lien de la conversation. Connectez-vous pour écrire.
conversation-write-first = Veuillez d’abord écrire un message.
event-meeting-booked = Rendez-vous réservé : « { $subject } » le { $when }
event-meeting-rescheduled = Rendez-vous déplacé du { $from } au { $to }
event-duration-changed = Durée du rendez-vous modifiée de { $from } à { $to } min
event-subject-changed = Objet du rendez-vous modifié de « { $from } » en « { $to } »
event-meeting-cancelled = Rendez-vous du { $when } annulé
event-renamed = Conversation renommée en « { $title } »
event-renamed-reset = Nom de la conversation réinitialisé
event-assigned = Conversation attribuée à { $agent } ({ $service })
event-reminder-sent = Rappel envoyé : le rendez-vous du { $when } commence dans { $minutes } min
event-email-bounced = L’e-mail à { $name } n’a pas pu être distribué : cette personne n’a peut-être pas la dernière invitation et ne reçoit plus d’e-mails
event-email-complaint = { $name } a signalé un e-mail comme spam : plus aucun e-mail ne lui est envoyé
event-agent-left = { $agent } n’est plus disponible ; la conversation attend { $service }
event-service-removed = Le service { $service } a été supprimé ; la conversation attend { $agent }
event-meeting-handed-over = Le rendez-vous est désormais avec { $to } ({ $from } n’est plus disponible)
event-meeting-rehosted = Le rendez-vous est désormais avec { $to } ({ $from } n’est pas libre au nouvel horaire)
event-unsubscribed = { $name } a désactivé les e-mails de cette conversation

## La page de gestion
manage-title = Votre rendez-vous
manage-eyebrow = Votre rendez-vous
manage-not-found-heading = Rendez-vous introuvable
manage-open-from-email = Ouvrez cette page depuis le lien de votre e-mail, ou connectez-vous sur la page de réservation.
manage-conversation = Ouvrir la conversation

## Les pages en un clic (confirmer une réservation, se connecter, arrêter les e-mails)
confirm-title = Confirmez votre réservation
confirm-eyebrow = Une dernière étape
confirm-explain = Appuyez sur le bouton pour confirmer le rendez-vous que vous avez réservé. D’ici là, le créneau est seulement retenu pour vous.
confirm-button = Confirmer ma réservation
link-sign-in-eyebrow = Un clic
link-sign-in-explain = Appuyez sur le bouton pour vous connecter avec l’adresse à laquelle cet e-mail a été envoyé. Une fois connecté, vous voyez vos rendez-vous et vos conversations, et vos réservations sont confirmées immédiatement.
link-sign-in-button = Me connecter
link-sign-in-done = Vous êtes connecté
link-sign-in-go-on = Continuer
unsubscribe-title = Arrêter les e-mails
unsubscribe-eyebrow = Vos e-mails
unsubscribe-heading = Arrêter les e-mails de cette conversation
unsubscribe-explain = Vous ne recevrez plus d’e-mails sur cette conversation : ni messages, ni modifications, ni rappels. Tous ses participants verront que vous les avez désactivés.
unsubscribe-button = Arrêter ces e-mails
unsubscribe-done-heading = C’est fait
unsubscribe-done = { $email } ne recevra plus d’e-mails sur « { $conversation } ».
console-title = Console
