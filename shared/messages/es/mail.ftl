# Los correos y las invitaciones (L1, L2): cada una de sus palabras, en el idioma del destinatario. El texto
# de los usuarios (asuntos, nombres, mensajes) nunca se traduce, solo se inserta.

## Todos los correos
mail-hello = Hola { $name },
mail-label-subject = Asunto
mail-label-when = Cuándo
mail-label-with = Con
mail-label-previously = Antes
mail-label-previous-subject = Asunto anterior
mail-label-also-invited = También invitados
mail-label-manage = Gestionar
mail-manage-use-confirmation = usa el enlace de la confirmación de tu reserva
mail-link-manage = Cambiar la hora, modificar o cancelar
mail-link-console-meeting = Abrir en la consola
mail-link-conversation = Conversación
mail-link-unsubscribe = Dejar de recibir correos sobre esta conversación
mail-reference = Referencia de la reunión: { $id }

## Los correos de una reunión, según lo que pasó
mail-booked-headline = Se ha reservado una reunión.
mail-booked-subject = Reunión reservada: { $subject }
mail-changed-headline = Se ha modificado una reunión.
mail-changed-subject = Reunión actualizada: { $subject }
mail-cancelled-headline = Se ha cancelado una reunión.
mail-cancelled-subject = Reunión cancelada: { $subject }
mail-reminder-headline = Tu reunión empieza en { $minutes } min.
mail-reminder-subject = Recordatorio: { $subject }, { $time }
mail-assigned-headline = Se ha asignado una conversación.
mail-assigned-subject = Asignada: { $subject }
mail-handed-over-headline = Esta reunión ahora es con { $agent }: { $previous } ya no está disponible.
mail-manage-link-headline = Tu reunión tiene un enlace nuevo para cambiarla de hora, modificarla o cancelarla. El enlace anterior ya no funciona.
mail-manage-link-subject = Enlace nuevo para tu reunión: { $subject }
mail-invitation-summary = { $subject } con { $with }

## Códigos
mail-label-code = Código
mail-label-valid-until = Válido hasta
mail-confirm-headline = Confirma tu reserva con este código o con el enlace de abajo. Hasta entonces, la hora solo está apartada para ti.
mail-confirm-subject = { $code } es tu código para confirmar tu reserva
mail-console-sign-in-headline = Inicia sesión en la consola con este código.
mail-console-sign-in-subject = { $code } es tu código para iniciar sesión en la consola
mail-sign-in-headline = Inicia sesión con este código para ver tus reuniones con { $agent }.
mail-sign-in-subject = { $code } es tu código para iniciar sesión
mail-link-confirm = Confirmar mi reserva
mail-link-sign-in = Iniciar sesión sin el código
mail-code-footer = Si no lo solicitaste, ignora este correo: no se reserva nada sin el código.

## Para agentes y administradores
mail-calendar-headline = No se puede leer uno de tus calendarios conectados. Mientras no se pueda, sus horas ocupadas no se descuentan de tus horas libres, así que los invitados podrían reservar cuando no estás disponible.
mail-calendar-subject = No se puede leer un calendario conectado
mail-label-calendar = Calendario
mail-label-why = Motivo
mail-link-calendars = Tus calendarios en la consola
mail-calendar-footer = Recibes este correo como máximo una vez al día por calendario.
mail-webhook-headline = Un endpoint de webhook falló durante un día y se desactivó: no recibirá más eventos hasta que se vuelva a activar. Su registro muestra lo que respondió.
mail-webhook-subject = Se ha desactivado un endpoint de webhook
mail-label-endpoint = Endpoint
mail-link-console = La consola
mail-webhook-footer = Los envíos que no recibió se pueden volver a enviar desde su registro.

## El resumen de los mensajes nuevos de una conversación
mail-digest-subject-one = Mensaje nuevo de { $author } en { $title }
mail-digest-subject-many = { $count } mensajes nuevos en { $title }
mail-digest-intro = Novedades en la conversación «{ $title }»:
mail-digest-earlier = Mensajes anteriores en la página de la conversación: { $count }
mail-digest-read-reply = Leer y responder
mail-digest-footer = Recibes este correo porque participas en esta conversación y no habías leído estos mensajes. Para dejar de recibirlos, silencia la conversación en su página o usa el enlace de abajo.
