# Les e-mails et les invitations (L1, L2) : chacun de leurs mots, dans la langue du destinataire. Le texte
# des utilisateurs (objets, noms, messages) n’est jamais traduit, seulement inséré.

## Tous les e-mails
mail-hello = Bonjour { $name },
mail-label-subject = Objet
mail-label-when = Quand
mail-label-with = Avec
mail-label-previously = Auparavant
mail-label-previous-subject = Objet précédent
mail-label-also-invited = Également invités
mail-label-manage = Gérer
mail-manage-use-confirmation = utilisez le lien de votre confirmation de réservation
mail-link-manage = Déplacer, modifier ou annuler
mail-link-console-meeting = Ouvrir dans la console
mail-link-conversation = Conversation
mail-link-unsubscribe = Arrêter les e-mails de cette conversation
mail-reference = Référence du rendez-vous : { $id }

## Les e-mails d’un rendez-vous, selon ce qui s’est passé
mail-booked-headline = Un rendez-vous a été réservé.
mail-booked-subject = Rendez-vous réservé : { $subject }
mail-changed-headline = Un rendez-vous a été modifié.
mail-changed-subject = Rendez-vous mis à jour : { $subject }
mail-cancelled-headline = Un rendez-vous a été annulé.
mail-cancelled-subject = Rendez-vous annulé : { $subject }
mail-reminder-headline = Votre rendez-vous commence dans { $minutes } min.
mail-reminder-subject = Rappel : { $subject } à { $time }
mail-assigned-headline = Une conversation a été attribuée.
mail-assigned-subject = Attribuée : { $subject }
mail-handed-over-headline = Ce rendez-vous est désormais avec { $agent } : { $previous } n’est plus disponible.
mail-manage-link-headline = Votre rendez-vous a un nouveau lien pour le déplacer, le modifier ou l’annuler. L’ancien lien ne fonctionne plus.
mail-manage-link-subject = Nouveau lien pour votre rendez-vous : { $subject }
mail-invitation-summary = { $subject } avec { $with }

## Codes
mail-label-code = Code
mail-label-valid-until = Valable jusqu’à
mail-confirm-headline = Confirmez votre réservation avec ce code, ou avec le lien ci-dessous. D’ici là, le créneau est seulement retenu pour vous.
mail-confirm-subject = { $code } est votre code pour confirmer votre réservation
mail-console-sign-in-headline = Connectez-vous à la console avec ce code.
mail-console-sign-in-subject = { $code } est votre code de connexion à la console
mail-sign-in-headline = Connectez-vous avec ce code pour voir vos rendez-vous avec { $agent }.
mail-sign-in-subject = { $code } est votre code de connexion
mail-link-confirm = Confirmer ma réservation
mail-link-sign-in = Se connecter sans le code
mail-code-footer = Si vous n’êtes pas à l’origine de cette demande, ignorez cet e-mail : rien n’est réservé sans le code.

## Aux agents et aux administrateurs
mail-calendar-headline = L’un de vos calendriers connectés ne peut pas être lu. Tant que ce sera le cas, ses plages occupées ne sont pas retirées de vos créneaux libres : des invités pourraient réserver à des heures où vous n’êtes pas libre.
mail-calendar-subject = Un calendrier connecté ne peut pas être lu
mail-label-calendar = Calendrier
mail-label-why = Raison
mail-link-calendars = Vos calendriers dans la console
mail-calendar-footer = Vous recevez cet e-mail au plus une fois par jour et par calendrier.
mail-webhook-headline = Un endpoint de webhook a échoué pendant une journée et a été désactivé : il ne reçoit plus d’événements tant qu’il n’est pas réactivé. Son journal indique ce qu’il a répondu.
mail-webhook-subject = Un endpoint de webhook a été désactivé
mail-label-endpoint = Endpoint
mail-link-console = La console
mail-webhook-footer = Les envois manqués peuvent être renvoyés depuis son journal.

## Le résumé des nouveaux messages d’une conversation
mail-digest-subject-one = Nouveau message de { $author } dans { $title }
mail-digest-subject-many = { $count } nouveaux messages dans { $title }
mail-digest-intro = Nouveau dans la conversation « { $title } » :
mail-digest-earlier = Messages plus anciens sur la page de la conversation : { $count }
mail-digest-read-reply = Lire et répondre
mail-digest-footer = Vous recevez cet e-mail parce que vous participez à cette conversation et n’avez pas lu ces messages. Pour ne plus recevoir ces e-mails, mettez la conversation en sourdine sur sa page, ou utilisez le lien ci-dessous.
