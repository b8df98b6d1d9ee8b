"""What each refusal means, in words a citizen or a staff member understands: one sentence per error code, in Arabic
(the default), French and English.

Every refusal of the service carries a stable snake_case `code` (a `DomainError` and its subclasses, `ImportRefused`,
`UnsupportedRule`, the ledger errors, the web layer's `NotFound` and `invalid_request`, the CLI's `configuration`).
The English `message` given where the error is raised is a specific detail (a line number, an id, a value); the
sentences here are the short, general explanation to show first, for example::

    f"{message(error.code, lang)} ({error.message})"

The Arabic follows the terms of the participatory budgeting guide of the territorial collectivities (الميزانية
التشاركية، لجنة الانتقاء، فريق الميزانية التشاركية، منتديات المواطنين، التصويت، الفرز) and of the interface
(the gettext catalogue, `pb_ledger/locale/`). tests/unit/test_messages.py checks that every code raised in pb_ledger/ and projections/
has its three sentences.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("ar", "fr", "en")
FALLBACK_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    # --- any stage: the cycle, its phase, roles, common values ----------------------------------------------------
    "read_model_behind": {
        "ar": "المعطيات المعروضة لم تُحيَّن بعد بآخر ما سُجّل في السجل؛ أعد المحاولة بعد لحظات.",
        "fr": "Les données affichées ne sont pas encore à jour avec les dernières entrées du journal ; réessayez dans "
              "un instant.",
        "en": "The data shown is not yet up to date with the latest entries of the log; try again in a moment.",
    },
    "unknown_read_model": {
        "ar": "لا يوجد نموذج قراءة بهذا الاسم.",
        "fr": "Aucun modèle de lecture ne porte ce nom.",
        "en": "There is no read model with this name.",
    },
    "unknown_cycle": {
        "ar": "هذه الدورة غير موجودة؛ تحقق من مرجعها.",
        "fr": "Ce cycle n'existe pas ; vérifiez sa référence.",
        "en": "This cycle does not exist; check its reference.",
    },
    "wrong_phase": {
        "ar": "لا يمكن القيام بهذا الإجراء في المرحلة الحالية من الدورة.",
        "fr": "Cette action n'est pas possible dans la phase actuelle du cycle.",
        "en": "This action is not possible in the cycle's current phase.",
    },
    "forbidden_role": {
        "ar": "هذا الإجراء ليس من صلاحيات الصفة التي تتصرف بها.",
        "fr": "Cette action n'est pas permise au rôle avec lequel vous agissez.",
        "en": "This action is not allowed for the role you are acting in.",
    },
    "missing_text": {
        "ar": "هذه الخانة إلزامية ولا يمكن أن تبقى فارغة.",
        "fr": "Ce champ est obligatoire et ne peut pas rester vide.",
        "en": "This field is required and cannot be left empty.",
    },
    "invalid_text": {
        "ar": "هذا النص يحتوي على رموز تحكم غير مسموح بها (مثل رموز قلب اتجاه الكتابة)؛ احذفها وأعد المحاولة.",
        "fr": "Ce texte contient des caractères de contrôle interdits (par exemple d'inversion du sens d'écriture) ; "
              "retirez-les et recommencez.",
        "en": "This text contains control characters that are not allowed (such as ones that reverse the writing "
              "direction); remove them and try again.",
    },
    "text_too_long": {
        "ar": "هذا النص أطول من الحد المسموح به؛ اختصره.",
        "fr": "Ce texte dépasse la longueur permise ; raccourcissez-le.",
        "en": "This text is longer than allowed; shorten it.",
    },
    "invalid_amount": {
        "ar": "هذا المبلغ أو العدد غير صحيح: أدخل عدداً صحيحاً غير سالب، بأصغر وحدة نقدية (السنتيم مثلاً) بالنسبة "
              "للمبالغ، وأكبر من الصفر بالنسبة للميزانية أو الكلفة.",
        "fr": "Ce montant ou ce nombre n'est pas valide : indiquez un nombre entier positif ou nul, en plus petite "
              "unité de la monnaie (centimes par exemple) pour les montants, et supérieur à zéro pour un budget ou un "
              "coût.",
        "en": "This amount or count is not valid: give a whole number of zero or more, in the currency's smallest unit "
              "(such as centimes) for amounts, and above zero for a budget or a cost.",
    },
    "invalid_date": {
        "ar": "التاريخ غير صحيح: اكتبه على الشكل YYYY-MM-DD (مثلاً 2025-03-31).",
        "fr": "La date n'est pas valide : écrivez-la sous la forme AAAA-MM-JJ (par exemple 2025-03-31).",
        "en": "The date is not valid: write it as YYYY-MM-DD (for example 2025-03-31).",
    },
    "busy": {
        "ar": "تُجرى على هذه الدورة عمليات أخرى في اللحظة نفسها؛ يرجى إعادة المحاولة بعد قليل.",
        "fr": "D'autres opérations modifient ce cycle en ce moment ; réessayez dans un instant.",
        "en": "Other operations are changing this cycle right now; try again in a moment.",
    },
    "not_found": {
        "ar": "القيد المطلوب غير موجود في سجل هذه الدورة.",
        "fr": "L'entrée demandée n'existe pas dans le journal de ce cycle.",
        "en": "The requested entry does not exist in this cycle's log.",
    },
    # --- stage 1, launch: budget, envelopes, team, timeline, criteria, campaign -----------------------------------
    "invalid_currency": {
        "ar": "العملة غير صحيحة: استعمل رمز عملة وفق معيار ISO 4217 (كرمز الدرهم المغربي)، بعدد أرقام عشرية "
              "يساوي 0 أو 2 أو 3.",
        "fr": "La monnaie n'est pas valide : indiquez un code ISO 4217 (MAD par exemple), avec 0, 2 ou 3 décimales.",
        "en": "The currency is not valid: give an ISO 4217 code (such as MAD) with 0, 2 or 3 decimal places.",
    },
    "envelopes_exceed_budget": {
        "ar": "مجموع الأغلفة المالية المخصصة للمناطق يفوق ميزانية الدورة.",
        "fr": "La somme des enveloppes des secteurs dépasse le budget du cycle.",
        "en": "The district envelopes add up to more than the cycle's budget.",
    },
    "invalid_team_role": {
        "ar": "هذه المهمة غير معروفة داخل فريق الميزانية التشاركية؛ اختر إحدى المهام المحددة.",
        "fr": "Ce rôle n'existe pas dans l'équipe du budget participatif ; choisissez l'un des rôles prévus.",
        "en": "This role does not exist in the participatory budgeting team; choose one of the set roles.",
    },
    "invalid_phase": {
        "ar": "هذه المرحلة غير معروفة؛ اختر إحدى مراحل الميزانية التشاركية.",
        "fr": "Cette phase n'existe pas ; choisissez l'une des phases du budget participatif.",
        "en": "This phase does not exist; choose one of the phases of participatory budgeting.",
    },
    "invalid_timeline": {
        "ar": "الجدول الزمني غير منسجم: لا يجوز أن تبدأ أي مرحلة قبل نهاية المرحلة التي تسبقها، ولا أن تنتهي قبل "
              "بدايتها.",
        "fr": "Le calendrier est incohérent : aucune phase ne peut commencer avant la fin de la précédente, ni finir "
              "avant de commencer.",
        "en": "The timeline is inconsistent: no phase may start before the previous one ends, or end before it starts.",
    },
    "invalid_transition": {
        "ar": "لا يمكن الانتقال إلى هذه المرحلة انطلاقاً من المرحلة الحالية؛ تتوالى المراحل وفق الترتيب المحدد.",
        "fr": "Le cycle ne peut pas passer à cette phase depuis la phase actuelle ; les phases se suivent dans l'ordre "
              "prévu.",
        "en": "The cycle cannot move to this phase from its current phase; the phases follow each other in a set "
              "order.",
    },
    "no_ideas": {
        "ar": "لم تُقدَّم أي فكرة بعد، فلا يمكن بدء دراسة الأفكار والمقترحات.",
        "fr": "Aucune idée n'a été déposée : l'étude des idées ne peut pas commencer.",
        "en": "No idea has been submitted: the study of ideas cannot start.",
    },
    "no_criteria": {
        "ar": "حدد معياراً واحداً على الأقل من معايير الأهلية.",
        "fr": "Indiquez au moins un critère d'éligibilité.",
        "en": "Give at least one eligibility criterion.",
    },
    "dates_out_of_order": {
        "ar": "لا يمكن أن يسبق تاريخ نهاية الحملة التواصلية تاريخ بدايتها.",
        "fr": "Une action de communication ne peut pas finir avant de commencer.",
        "en": "A communication action cannot end before it starts.",
    },
    # --- stage 1, ideas: submission, forums, merging, personal data -----------------------------------------------
    "invalid_channel": {
        "ar": "هذه القناة غير مقبولة: تُقدَّم الأفكار عبر الإنترنت أو على الورق أو في منتديات المواطنين، ويتم "
              "التصويت عبر الإنترنت أو بطريقة ورقية.",
        "fr": "Ce canal n'est pas accepté : les idées sont déposées en ligne, sur papier ou lors d'un forum citoyen, "
              "et les votes en ligne ou sur papier.",
        "en": "This channel is not accepted: ideas are submitted online, on paper or at a citizen forum, and votes are "
              "cast online or on paper.",
    },
    "duplicate_idea": {
        "ar": "توجد فكرة بهذا المرجع من قبل.",
        "fr": "Une idée portant cette référence existe déjà.",
        "en": "An idea with this reference already exists.",
    },
    "unknown_district": {
        "ar": "لم يُخصَّص لهذه المنطقة أي غلاف مالي في هذه الدورة.",
        "fr": "Ce secteur n'a pas d'enveloppe dans ce cycle.",
        "en": "This district has no envelope in this cycle.",
    },
    "invalid_carry": {
        "ar": "لا يمكن ترحيل فكرة إلا من الدورة السابقة التي فُتحت انطلاقاً منها هذه الدورة.",
        "fr": "Une idée ne peut être reportée que depuis le cycle précédent à partir duquel ce cycle a été ouvert.",
        "en": "An idea can be carried over only from the previous cycle this cycle was opened from.",
    },
    "invalid_commitment": {
        "ar": "مرجع معطيات الاتصال بصاحب الفكرة غير صالح: يجب أن يكون بصمة SHA-256 من 64 رمزاً ست عشرياً.",
        "fr": "La référence aux coordonnées de l'auteur n'est pas valide : ce doit être une empreinte SHA-256 "
              "(64 caractères hexadécimaux en minuscules).",
        "en": "The reference to the author's contact details is not valid: it must be a SHA-256 hash "
              "(64 lowercase hexadecimal characters).",
    },
    "paper_form_required": {
        "ar": "يجب ذكر رقم الاستمارة الورقية لكل فكرة مقدمة على الورق.",
        "fr": "Une idée déposée sur papier doit porter le numéro de son formulaire papier.",
        "en": "An idea submitted on paper needs the number of its paper form.",
    },
    "scan_hash_required": {
        "ar": "يجب أن تُرفق الفكرة المقدمة على الورق ببصمة SHA-256 للنسخة الممسوحة ضوئياً من استمارتها.",
        "fr": "Une idée déposée sur papier doit être accompagnée de l'empreinte SHA-256 du scan de son formulaire.",
        "en": "An idea submitted on paper needs the SHA-256 hash of the scan of its form.",
    },
    "unknown_forum": {
        "ar": "منتدى المواطنين هذا غير مسجل في هذه الدورة؛ سجّل المنتدى أولاً.",
        "fr": "Ce forum citoyen n'est pas enregistré dans ce cycle ; enregistrez d'abord le forum.",
        "en": "This citizen forum is not recorded in this cycle; record the forum first.",
    },
    "duplicate_forum": {
        "ar": "سبق تسجيل منتدى المواطنين هذا.",
        "fr": "Ce forum citoyen est déjà enregistré.",
        "en": "This citizen forum is already recorded.",
    },
    "invalid_merge": {
        "ar": "لا يمكن إجراء هذا الدمج: تُدمج فكرة أو أكثر لم يُبتّ فيها بعد في فكرة أخرى لا تزال مفتوحة.",
        "fr": "Fusion impossible : on fusionne une ou plusieurs idées encore à l'étude dans une autre idée encore "
              "ouverte.",
        "en": "This merge is not possible: merge one or more ideas still under study into another open idea.",
    },
    "no_author_data": {
        "ar": "لا تتضمن هذه الفكرة أي معطيات شخصية عن صاحبها.",
        "fr": "Cette idée ne contient aucune donnée personnelle sur son auteur.",
        "en": "This idea holds no personal data about its author.",
    },
    "no_personal_store": {
        "ar": "لا تحتفظ هذه الخدمة بالمعطيات الشخصية؛ قدّم الفكرة دون معلومات الاتصال.",
        "fr": "Ce service ne conserve pas de données personnelles : déposez l'idée sans coordonnées.",
        "en": "This service keeps no personal data: submit the idea without contact details.",
    },
    "unknown_idea": {
        "ar": "لا توجد فكرة بهذا المرجع في هذه الدورة.",
        "fr": "Aucune idée ne porte cette référence dans ce cycle.",
        "en": "No idea has this reference in this cycle.",
    },
    # --- stage 2, study of the ideas: the selection committee, decisions, appeals, the list put to the vote --------
    "invalid_member_kind": {
        "ar": "يكون عضو لجنة الانتقاء إما موظفاً بالجماعة الترابية وإما مواطناً.",
        "fr": "Un membre du comité de sélection est soit un agent de la collectivité, soit un citoyen.",
        "en": "A selection committee member is either a staff member of the collectivity or a citizen.",
    },
    "unknown_criterion": {
        "ar": "هذا المعيار ليس من معايير الأهلية المعتمدة في هذه الدورة.",
        "fr": "Ce critère ne fait pas partie des critères d'éligibilité de ce cycle.",
        "en": "This criterion is not one of this cycle's eligibility criteria.",
    },
    "criteria_not_met": {
        "ar": "لا يمكن قبول فكرة لا تستوفي أحد معايير الأهلية.",
        "fr": "Une idée qui ne remplit pas un critère d'éligibilité ne peut pas être retenue.",
        "en": "An idea that fails an eligibility criterion cannot be accepted.",
    },
    "reason_required": {
        "ar": "يجب أن يكون لكل رفض سبب معلن.",
        "fr": "Tout rejet doit être accompagné d'un motif public.",
        "en": "Every rejection must give a public reason.",
    },
    "revision_reason_required": {
        "ar": "سبق البتّ في هذه الفكرة؛ يجب أن يتضمن القرار الجديد سبب مراجعة القرار السابق.",
        "fr": "Cette idée a déjà fait l'objet d'une décision : la nouvelle décision doit donner le motif de la "
              "révision.",
        "en": "This idea has already been decided: the new decision must give the reason for revising it.",
    },
    "idea_merged": {
        "ar": "دُمجت هذه الفكرة في فكرة أخرى؛ يجب البتّ في الفكرة التي دُمجت فيها.",
        "fr": "Cette idée a été fusionnée avec une autre : c'est sur cette dernière qu'il faut statuer.",
        "en": "This idea was merged into another idea: decide on that idea instead.",
    },
    "duplicate_project": {
        "ar": "المشروع نفسه مذكور مرتين في ورقة التصويت، ولا يُختار المشروع إلا مرة واحدة.",
        "fr": "Le même projet figure deux fois sur le bulletin : un projet ne peut être choisi qu'une fois.",
        "en": "The same project appears twice on the ballot: a project can be chosen only once.",
    },
    "project_id_taken": {
        "ar": "رقم المشروع هذا مخصص لفكرة أخرى، فاختر رقماً آخر.",
        "fr": "Cet identifiant de projet appartient déjà à une autre idée : choisissez-en un autre.",
        "en": "This project id already belongs to another idea: choose another one.",
    },
    "not_rejected": {
        "ar": "لا يمكن الطعن إلا في فكرة مرفوضة.",
        "fr": "Seule une idée rejetée peut faire l'objet d'un recours.",
        "en": "Only a rejected idea can be appealed.",
    },
    "appeal_pending": {
        "ar": "هذه الفكرة موضوع طعن لم تُجب عنه لجنة الانتقاء بعد.",
        "fr": "Cette idée fait déjà l'objet d'un recours qui attend la réponse du comité de sélection.",
        "en": "This idea already has an appeal awaiting the selection committee's answer.",
    },
    "duplicate_appeal": {
        "ar": "يوجد طعن بهذا المرجع من قبل.",
        "fr": "Un recours portant cette référence existe déjà.",
        "en": "An appeal with this reference already exists.",
    },
    "unknown_appeal": {
        "ar": "لا يوجد طعن بهذا المرجع ينتظر جواباً.",
        "fr": "Aucun recours portant cette référence n'attend de réponse.",
        "en": "No appeal with this reference is awaiting an answer.",
    },
    "invalid_outcome": {
        "ar": "جواب الطعن إما قبوله وإما رفضه.",
        "fr": "Un recours est soit accueilli, soit rejeté.",
        "en": "An appeal is either upheld or dismissed.",
    },
    "ideas_undecided": {
        "ar": "لا تزال بعض الأفكار تنتظر قرار لجنة الانتقاء؛ يجب البتّ فيها قبل نشر لائحة المشاريع المعروضة على "
              "التصويت.",
        "fr": "Des idées attendent encore la décision du comité de sélection ; statuez sur chacune avant de publier la "
              "liste des projets soumis au vote.",
        "en": "Some ideas still await the selection committee's decision; decide on each before publishing the list of "
              "projects put to the vote.",
    },
    "appeals_pending": {
        "ar": "لا يمكن نشر لائحة المشاريع المعروضة على التصويت قبل أن تجيب لجنة الانتقاء عن كل الطعون.",
        "fr": "La liste des projets soumis au vote ne peut pas être publiée tant que le comité de sélection n'a pas "
              "répondu à tous les recours.",
        "en": "The list of projects put to the vote cannot be published until the selection committee has answered "
              "every appeal.",
    },
    "revision_pending": {
        "ar": "قُبل طعن في إحدى الأفكار؛ يجب أن تسجل لجنة الانتقاء قرارها الجديد قبل نشر لائحة المشاريع المعروضة "
              "على التصويت.",
        "fr": "Un recours a été accueilli : le comité de sélection doit enregistrer sa nouvelle décision avant la "
              "publication de la liste des projets soumis au vote.",
        "en": "An appeal was upheld: the selection committee must record its new decision before the list of projects "
              "put to the vote is published.",
    },
    "no_projects": {
        "ar": "لم تُقبل أي فكرة، فلا يوجد أي مشروع يُعرض على التصويت.",
        "fr": "Aucune idée n'a été retenue : il n'y a aucun projet à soumettre au vote.",
        "en": "No idea was accepted: there is no project to put to the vote.",
    },
    # --- stage 3, the vote rules (log-format §5.1) ----------------------------------------------------------------
    "rules_frozen": {
        "ar": "لا يمكن تعديل قواعد التصويت بعد فتح التصويت.",
        "fr": "Les règles de vote ne peuvent plus être modifiées une fois le vote ouvert.",
        "en": "The vote rules cannot be changed once voting has opened.",
    },
    "rules_missing": {
        "ar": "يجب تحديد قواعد التصويت قبل فتح التصويت.",
        "fr": "Fixez les règles de vote avant d'ouvrir le vote.",
        "en": "Set the vote rules before opening the vote.",
    },
    "missing_field": {
        "ar": "قواعد التصويت ناقصة: بعض الحقول المطلوبة غير موجودة.",
        "fr": "Les règles de vote sont incomplètes : des champs obligatoires manquent.",
        "en": "The vote rules are incomplete: required fields are missing.",
    },
    "unexpected_field": {
        "ar": "تتضمن قواعد التصويت حقولاً غير معروفة.",
        "fr": "Les règles de vote contiennent des champs inconnus.",
        "en": "The vote rules contain unknown fields.",
    },
    "wrong_field_type": {
        "ar": "أحد حقول قواعد التصويت من نوع غير صحيح: يُنتظر نص أو عدد صحيح حسب الحقل.",
        "fr": "Un champ des règles de vote n'a pas le bon type : un texte ou un nombre entier est attendu selon le "
              "champ.",
        "en": "A field of the vote rules has the wrong type: a text or a whole number is expected, depending on the "
              "field.",
    },
    "unknown_vote_type": {
        "ar": "طريقة التصويت هذه غير معروفة؛ اختر إحدى الطرق المعتمدة.",
        "fr": "Ce type de vote n'existe pas ; choisissez l'un des types prévus.",
        "en": "This vote type does not exist; choose one of the set types.",
    },
    "unknown_rule": {
        "ar": "قاعدة الفرز هذه غير معروفة؛ اختر إحدى القواعد المعتمدة.",
        "fr": "Cette règle de dépouillement n'existe pas ; choisissez l'une des règles prévues.",
        "en": "This counting rule does not exist; choose one of the set rules.",
    },
    "unknown_tie_break": {
        "ar": "طريقة الحسم عند تساوي النقاط هذه غير معروفة؛ اختر إحدى الطرق المعتمدة.",
        "fr": "Cette méthode de départage des ex æquo n'existe pas ; choisissez l'une des méthodes prévues.",
        "en": "This tie-break method does not exist; choose one of the set methods.",
    },
    "threshold_required": {
        "ar": "قاعدة الفرز بحد أدنى من النقاط تتطلب تحديد هذا الحد الأدنى.",
        "fr": "La règle de dépouillement avec seuil exige que le seuil soit fixé.",
        "en": "The counting rule with a threshold needs the threshold to be set.",
    },
    "negative_value": {
        "ar": "لا يمكن أن تكون قيم قواعد التصويت سالبة.",
        "fr": "Les valeurs des règles de vote ne peuvent pas être négatives.",
        "en": "The values of the vote rules cannot be negative.",
    },
    "min_length_above_max_length": {
        "ar": "الحد الأدنى لعدد المشاريع الواجب اختيارها يفوق الحد الأقصى.",
        "fr": "Le nombre minimal de projets à choisir dépasse le nombre maximal.",
        "en": "The minimum number of projects to choose is above the maximum.",
    },
    "min_length_above_project_count": {
        "ar": "الحد الأدنى لعدد المشاريع الواجب اختيارها يفوق عدد المشاريع المعروضة على التصويت.",
        "fr": "Le nombre minimal de projets à choisir dépasse le nombre de projets soumis au vote.",
        "en": "The minimum number of projects to choose is above the number of projects put to the vote.",
    },
    "lengths_exclude_one": {
        "ar": "في التصويت لمشروع واحد، يجب أن تسمح قواعد التصويت باختيار مشروع واحد بالضبط.",
        "fr": "Pour un vote pour un seul projet, les règles doivent permettre de choisir exactement un projet.",
        "en": "For a vote for a single project, the rules must allow choosing exactly one project.",
    },
    "min_sum_points_above_max_sum_points": {
        "ar": "الحد الأدنى لمجموع النقاط يفوق الحد الأقصى لمجموعها.",
        "fr": "Le total minimal de points dépasse le total maximal.",
        "en": "The minimum total of points is above the maximum total.",
    },
    "points_rule_not_allowed": {
        "ar": "لا تنطبق حدود النقاط إلا على التصويت بتوزيع النقاط.",
        "fr": "Les limites de points ne s'appliquent qu'au vote par répartition de points.",
        "en": "Limits on points apply only to votes by distributing points.",
    },
    "cost_limit_not_allowed": {
        "ar": "لا يمكن تحديد سقف لمجموع كلفة المشاريع المختارة إلا في التصويت بالموافقة على مشروع أو أكثر.",
        "fr": "Un plafond du coût total des projets choisis ne s'applique qu'au vote par approbation.",
        "en": "A limit on the total cost of the chosen projects applies only to approval votes.",
    },
    # --- stage 3, the vote: opening, ballots, closing -------------------------------------------------------------
    "ballot_not_published": {
        "ar": "يجب نشر لائحة المشاريع المعروضة على التصويت قبل فتح التصويت.",
        "fr": "Publiez la liste des projets soumis au vote avant d'ouvrir le vote.",
        "en": "Publish the list of projects put to the vote before opening the vote.",
    },
    "voting_not_open": {
        "ar": "لم يُفتح التصويت بعد.",
        "fr": "Le vote n'est pas encore ouvert.",
        "en": "The vote is not open yet.",
    },
    "voting_closed": {
        "ar": "انتهى التصويت، ولم يعد بالإمكان الإدلاء بالأصوات.",
        "fr": "Le vote est clos : il n'est plus possible de voter.",
        "en": "The vote is closed: ballots can no longer be cast.",
    },
    "invalid_ballot_shape": {
        "ar": "صيغة ورقة التصويت غير صحيحة: التصويت قائمة بمراجع المشاريع، والنقاط قائمة بأعداد صحيحة.",
        "fr": "Le bulletin est mal formé : un vote est une liste d'identifiants de projets, les points une liste de "
              "nombres entiers.",
        "en": "The ballot is malformed: a vote is a list of project ids, and points a list of whole numbers.",
    },
    "unknown_project": {
        "ar": "هذا المشروع ليس ضمن المشاريع المعروضة على التصويت.",
        "fr": "Ce projet ne figure pas parmi les projets soumis au vote.",
        "en": "This project is not among the projects put to the vote.",
    },
    "too_few_choices": {
        "ar": "عدد المشاريع المختارة في ورقة التصويت أقل من الحد الأدنى المطلوب.",
        "fr": "Le bulletin choisit moins de projets que le minimum requis.",
        "en": "The ballot chooses fewer projects than the minimum required.",
    },
    "too_many_choices": {
        "ar": "عدد المشاريع المختارة في ورقة التصويت يفوق الحد الأقصى المسموح به.",
        "fr": "Le bulletin choisit plus de projets que le maximum permis.",
        "en": "The ballot chooses more projects than the maximum allowed.",
    },
    "over_cost_limit": {
        "ar": "مجموع كلفة المشاريع المختارة في ورقة التصويت يفوق السقف المسموح به.",
        "fr": "Le coût total des projets choisis sur le bulletin dépasse le plafond permis.",
        "en": "The total cost of the projects chosen on the ballot is above the allowed limit.",
    },
    "points_required": {
        "ar": "في التصويت بتوزيع النقاط، يجب أن تمنح ورقة التصويت نقاطاً للمشاريع المختارة.",
        "fr": "Dans un vote par répartition de points, le bulletin doit donner des points aux projets choisis.",
        "en": "In a vote by distributing points, the ballot must give points to the chosen projects.",
    },
    "points_mismatch": {
        "ar": "عدد قيم النقاط لا يطابق عدد المشاريع المختارة؛ امنح نقاطاً لكل مشروع مختار.",
        "fr": "Le nombre de valeurs de points ne correspond pas au nombre de projets choisis ; donnez des points à "
              "chaque projet choisi.",
        "en": "The number of point values does not match the number of chosen projects; give points to each chosen "
              "project.",
    },
    "points_not_allowed": {
        "ar": "لا تتضمن ورقة التصويت نقاطاً إلا في التصويت بتوزيع النقاط.",
        "fr": "Seul un bulletin de vote par répartition de points comporte des points.",
        "en": "Only a ballot in a vote by distributing points carries points.",
    },
    "points_out_of_range": {
        "ar": "النقاط الممنوحة لأحد المشاريع خارج الحدود المسموح بها: نقطة واحدة على الأقل، دون تجاوز الحد الأقصى "
              "المحدد.",
        "fr": "Les points donnés à un projet sortent des limites permises : au moins 1, et pas plus que le maximum "
              "fixé.",
        "en": "The points given to a project are outside the allowed range: at least 1, and no more than the set "
              "maximum.",
    },
    "points_sum_out_of_range": {
        "ar": "مجموع النقاط الممنوحة خارج الحدود التي تحددها قواعد التصويت.",
        "fr": "Le total des points donnés sort des limites fixées par les règles de vote.",
        "en": "The total of the points given is outside the limits set by the vote rules.",
    },
    # --- stage 4, results and participation summary ---------------------------------------------------------------
    "results_not_announced": {
        "ar": "لم يتم بعد إعلان نتائج هذه الدورة.",
        "fr": "Les résultats de ce cycle n'ont pas encore été annoncés.",
        "en": "The results of this cycle have not been announced yet.",
    },
    "summary_mismatch": {
        "ar": "مجموع الأصوات حسب قناة التصويت لا يطابق عدد الأصوات المسجلة.",
        "fr": "Le total des bulletins par canal ne correspond pas au nombre de bulletins enregistrés.",
        "en": "The ballots by channel do not add up to the number of ballots recorded.",
    },
    # --- stage 5, follow-up of implementation ---------------------------------------------------------------------
    "not_funded": {
        "ar": "لم يُموَّل هذا المشروع في هذه الدورة، فلا يمكن تتبع تنفيذه.",
        "fr": "Ce projet n'a pas été financé dans ce cycle : son exécution ne peut pas être suivie.",
        "en": "This project was not funded in this cycle, so its implementation cannot be followed.",
    },
    "invalid_milestone": {
        "ar": "هذا النوع من مراحل الإنجاز غير معروف؛ اختر أحد الأنواع المحددة، من البرمجة إلى انتهاء الأشغال أو "
              "الإلغاء.",
        "fr": "Ce type d'étape n'existe pas ; choisissez l'un des types prévus, de la programmation à l'achèvement "
              "ou à l'annulation.",
        "en": "This kind of milestone does not exist; choose one of the set kinds, from planned to completed or "
              "cancelled.",
    },
    "project_finished": {
        "ar": "انتهى إنجاز هذا المشروع أو أُلغي، فلا يمكن تسجيل مرحلة إنجاز جديدة له.",
        "fr": "Ce projet est achevé ou annulé : aucune nouvelle étape ne peut être enregistrée.",
        "en": "This project is completed or cancelled: no further milestone can be recorded.",
    },
    "invalid_percent": {
        "ar": "نسبة تقدم الأشغال عدد صحيح بين 0 و100.",
        "fr": "L'avancement des travaux est un pourcentage entier de 0 à 100.",
        "en": "The progress of the works is a whole percentage from 0 to 100.",
    },
    "invalid_hash": {
        "ar": "بصمة الوثيقة غير صالحة: يجب أن تكون بصمة SHA-256 من 64 رمزاً ست عشرياً.",
        "fr": "L'empreinte du document n'est pas valide : ce doit être une empreinte SHA-256 (64 caractères "
              "hexadécimaux en minuscules).",
        "en": "The document's hash is not valid: it must be a SHA-256 hash (64 lowercase hexadecimal characters).",
    },
    "invalid_media_type": {
        "ar": "نوع ملف الوثيقة المرفقة غير صالح؛ اذكره بصيغته المعيارية.",
        "fr": "Le type du fichier joint n'est pas valide : indiquez-le sous sa forme standard, par exemple image/jpeg "
              "ou application/pdf.",
        "en": "The attachment's file type is not valid: give its standard media type, such as image/jpeg or "
              "application/pdf.",
    },
    "duplicate_visit": {
        "ar": "توجد زيارة ميدانية بهذا المرجع من قبل.",
        "fr": "Une visite de chantier portant cette référence existe déjà.",
        "en": "A site visit with this reference already exists.",
    },
    "unknown_visit": {
        "ar": "لا توجد زيارة ميدانية مبرمجة بهذا المرجع.",
        "fr": "Aucune visite de chantier prévue ne porte cette référence.",
        "en": "No scheduled site visit has this reference.",
    },
    # --- stage 6, evaluation --------------------------------------------------------------------------------------
    "survey_mismatch": {
        "ar": "عدد الأجوبة عن أحد أسئلة استطلاع الرأي يفوق عدد المشاركين فيه.",
        "fr": "Les réponses à une question de l'enquête sont plus nombreuses que les participants.",
        "en": "The answers to a survey question outnumber the people who responded.",
    },
    # --- importing a pabulib election (.pb) -----------------------------------------------------------------------
    "file_not_found": {
        "ar": "الملف المطلوب استيراده غير موجود؛ تحقق من مساره.",
        "fr": "Le fichier à importer est introuvable ; vérifiez son chemin.",
        "en": "The file to import was not found; check its path.",
    },
    "already_imported": {
        "ar": "هذا الملف مستورد من قبل في هذا السجل؛ لا يُستورد مرة ثانية إلا عن قصد.",
        "fr": "Ce fichier a déjà été importé dans ce journal ; ne l'importez une seconde fois que délibérément.",
        "en": "This file is already imported into this log; import it a second time only on purpose.",
    },
    "malformed_pabulib": {
        "ar": "ملف .pb غير سليم أو غير منسجم؛ صحح الخطأ المشار إليه في التفاصيل ثم أعد الاستيراد.",
        "fr": "Le fichier .pb est mal formé ou incohérent ; corrigez l'erreur indiquée dans le détail puis relancez "
              "l'import.",
        "en": "The .pb file is malformed or inconsistent; fix the error named in the details and import it again.",
    },
    "unsupported_rule": {
        "ar": "قاعدة الفرز المعتمدة في هذا الانتخاب غير مدعومة.",
        "fr": "La règle de dépouillement de cette élection n'est pas prise en charge.",
        "en": "This election's counting rule is not supported.",
    },
    "unsupported_vote_type": {
        "ar": "طريقة التصويت المعتمدة في هذا الانتخاب غير مدعومة.",
        "fr": "Le type de vote de cette élection n'est pas pris en charge.",
        "en": "This election's vote type is not supported.",
    },
    "unsupported_min_sum_cost": {
        "ar": "لا يدعم النظام حداً أدنى لمجموع كلفة المشاريع المختارة في ورقة التصويت.",
        "fr": "Un coût total minimal des projets choisis sur un bulletin n'est pas pris en charge.",
        "en": "A minimum total cost of the projects chosen on a ballot is not supported.",
    },
    "unsupported_min_points": {
        "ar": "لا يدعم النظام حداً أدنى من النقاط لكل مشروع يفوق نقطة واحدة.",
        "fr": "Un minimum de points par projet supérieur à 1 n'est pas pris en charge.",
        "en": "A minimum of more than 1 point per project is not supported.",
    },
    # --- the signed log -------------------------------------------------------------------------------------------
    "ledger_error": {
        "ar": "تعذر إنجاز العملية على السجل الموقع.",
        "fr": "L'opération sur le journal signé n'a pas pu aboutir.",
        "en": "The operation on the signed log could not be completed.",
    },
    "unknown_log": {
        "ar": "هذا السجل غير موجود في هذه الخدمة؛ تحقق من مرجعه.",
        "fr": "Ce journal n'existe pas sur ce service ; vérifiez sa référence.",
        "en": "This log does not exist on this service; check its reference.",
    },
    "root_key_offline": {
        "ar": "هذا الإجراء يتطلب المفتاح الجذري للمجلس، وهو غير موجود على هذا الخادم؛ أعد تشغيل الأمر مع ملف المفتاح.",
        "fr": "Cette action demande la clé racine du conseil, qui n'est pas sur ce serveur ; relancez la commande avec "
              "le fichier de la clé.",
        "en": "This action needs the council's root key, which is not on this server; run the command again with the "
              "key's file.",
    },
    "unusable_key_file": {
        "ar": "ملف المفتاح غير صالح للاستعمال: يجب أن يحتوي مفتاح توقيع صالحاً لا يقرؤه إلا مالكه.",
        "fr": "Le fichier de clé est inutilisable : ce doit être une clé Ed25519 lisible par son seul propriétaire.",
        "en": "The key file cannot be used: it must be an Ed25519 key readable by its owner only.",
    },
    "keys_do_not_match_log": {
        "ar": "مفاتيح التوقيع الموجودة في مجلد المعطيات ليست المفاتيح التي أُنشئ بها هذا السجل.",
        "fr": "Les clés de signature du dossier de données ne sont pas celles avec lesquelles ce journal a été créé.",
        "en": "The signing keys in the data directory are not the ones this log was created with.",
    },
    "concurrent_update": {
        "ar": "عدّل مستعمل آخر هذه الدورة في الوقت نفسه؛ يرجى إعادة المحاولة.",
        "fr": "Quelqu'un d'autre a modifié ce cycle au même moment ; réessayez.",
        "en": "Someone else changed this cycle at the same moment; try again.",
    },
    "proof_out_of_range": {
        "ar": "لا يمكن إعداد هذا الإثبات: رقم القيد أو حجم السجل المطلوب يتجاوز عدد القيود المسجلة.",
        "fr": "Cette preuve ne peut pas être établie : le numéro d'entrée ou la taille demandée dépasse le nombre "
              "d'entrées du journal.",
        "en": "This proof cannot be made: the entry number or the size asked for is beyond the entries in the log.",
    },
    # --- checkpoints, signing keys and witnesses (issue 5) ---------------------------------------------------------
    "key_entry_refused": {
        "ar": "رُفض قيد المفتاح لأنه يخالف قواعد تدبير المفاتيح في السجل (مفتاح معروف من قبل أو متقاعد أو بلا سبب "
              "معلن)؛ لم يُسجَّل شيء.",
        "fr": "L'entrée de clé est refusée car elle enfreint les règles des clés du journal (clé déjà connue, déjà "
              "retirée ou sans motif public) ; rien n'a été enregistré.",
        "en": "The key entry is refused because it breaks the log's key rules (a key already known, already retired, "
              "or no public reason); nothing was recorded.",
    },
    "no_service_key": {
        "ar": "لا يوجد في مجلد المفاتيح أي مفتاح خدمة صالح للتوقيع في هذا الموضع من السجل؛ استرجع ملف المفتاح من "
              "نسخته الاحتياطية أو رخّص مفتاحاً جديداً.",
        "fr": "Aucune clé de service valable à cette position du journal ne se trouve dans le dossier des clés ; "
              "restaurez son fichier depuis la sauvegarde ou autorisez une nouvelle clé.",
        "en": "No service key valid at this position of the log is in the keys folder; restore its file from the "
              "backup or authorise a new key.",
    },
    "key_reason_required": {
        "ar": "تدوير مفتاح توقيع أو إحالته على التقاعد يتطلب سبباً معلناً يُسجَّل في السجل.",
        "fr": "Remplacer ou retirer une clé de signature demande un motif public, qui est inscrit au journal.",
        "en": "Rotating or retiring a signing key needs a public reason, which is written in the log.",
    },
    "unknown_service_key": {
        "ar": "هذا المفتاح ليس من مفاتيح الخدمة التي رخّص لها السجل؛ اعرض قائمة المفاتيح للتحقق من معرّفه.",
        "fr": "Cette clé n'est pas une clé de service autorisée par le journal ; affichez la liste des clés pour "
              "vérifier son identifiant.",
        "en": "This key is not a service key the log authorised; list the keys to check its id.",
    },
    "key_already_retired": {
        "ar": "أُحيل هذا المفتاح على التقاعد من قبل؛ لم يعد يوقّع شيئاً.",
        "fr": "Cette clé a déjà été retirée ; elle ne signe plus rien.",
        "en": "This key was already retired; it signs nothing any more.",
    },
    "last_service_key": {
        "ar": "هذا هو مفتاح الخدمة الوحيد المستعمل؛ رخّص مفتاحاً جديداً أو قم بتدويره قبل إحالته على التقاعد.",
        "fr": "C'est la seule clé de service en usage ; autorisez une nouvelle clé ou remplacez-la avant de la "
              "retirer.",
        "en": "This is the only service key in use; authorise a new key or rotate to one before retiring it.",
    },
    "no_checkpoint": {
        "ar": "لم توقّع الخدمة أي نقطة مراقبة بهذا الحجم؛ اطلب لائحة نقاط المراقبة لمعرفة الأحجام الموقّعة.",
        "fr": "Le service n'a signé aucun point de contrôle de cette taille ; consultez la liste des points de "
              "contrôle pour connaître les tailles signées.",
        "en": "The service signed no checkpoint of this size; see the list of checkpoints for the sizes it signed.",
    },
    "invalid_witness_name": {
        "ar": "اسم الشاهد غير صالح: يجب ألا يحتوي فراغاً ولا علامة الجمع (عنوان بلا بروتوكول مثلاً).",
        "fr": "Le nom du témoin n'est pas valable : ni espace ni signe plus (une adresse sans protocole par exemple).",
        "en": "The witness name is not valid: no spaces and no plus sign (an address without a scheme, for example).",
    },
    "invalid_witness_key": {
        "ar": "مفتاح الشاهد غير صالح: قدّم مفتاح التحقق الخاص به أو مفتاحه العمومي للتوقيع.",
        "fr": "La clé du témoin n'est pas valable : donnez sa clé de vérification ou sa clé publique Ed25519.",
        "en": "The witness key is not valid: give its verifier key or its Ed25519 public key.",
    },
    "witness_already_added": {
        "ar": "هذا الشاهد مسجَّل من قبل؛ احذفه أولاً إن أردت تغيير مفتاحه.",
        "fr": "Ce témoin est déjà enregistré ; retirez-le d'abord pour changer sa clé.",
        "en": "This witness is already configured; remove it first to change its key.",
    },
    "witness_reason_required": {
        "ar": "حذف شاهد يتطلب سبباً معلناً يُسجَّل في السجل.",
        "fr": "Retirer un témoin demande un motif public, qui est inscrit au journal.",
        "en": "Removing a witness needs a public reason, which is written in the log.",
    },
    "unknown_witness": {
        "ar": "هذا الشاهد أو مفتاحه غير مسجَّل في هذا السجل؛ لا تُقبل توقيعاته المشتركة.",
        "fr": "Ce témoin ou sa clé n'est pas enregistré pour ce journal ; ses cosignatures ne sont pas acceptées.",
        "en": "This witness or its key is not configured for this log; its cosignatures are not accepted.",
    },
    "entry_not_public": {
        "ar": "هذا القيد من تصويت ما يزال مفتوحاً: لا يُنشر محتواه إلا بعد إغلاق التصويت.",
        "fr": "Cette entrée appartient à un vote encore ouvert : son contenu n'est publié qu'à la clôture du vote.",
        "en": "This entry belongs to a vote still open: its content is published only when the vote closes.",
    },
    "cosignature_malformed": {
        "ar": "التوقيع المشترك ليس على الشكل المطلوب: سطر واحد يبدأ بشرطة طويلة ثم اسم الشاهد ثم التوقيع.",
        "fr": "La cosignature n'a pas la forme attendue : une ligne, un tiret cadratin, le nom du témoin puis la "
              "signature.",
        "en": "The cosignature is not in the expected form: one line, an em dash, the witness name, then the "
              "signature.",
    },
    "cosignature_invalid": {
        "ar": "التوقيع المشترك لا يطابق نقطة المراقبة هذه أو أن تاريخه في المستقبل؛ لم يُنشر.",
        "fr": "La cosignature ne correspond pas à ce point de contrôle ou elle est datée du futur ; elle n'est pas "
              "publiée.",
        "en": "The cosignature does not match this checkpoint or is dated in the future; it is not published.",
    },
    # --- staff accounts, sessions and the authorisation matrix (issue 6) ------------------------------------------
    "too_many_attempts": {
        "ar": "محاولات دخول خاطئة كثيرة لهذا الحساب؛ انتظر خمس عشرة دقيقة أو اطلب المساعدة من المشرف.",
        "fr": "Trop de tentatives de connexion erronées pour ce compte ; attendez quinze minutes ou demandez à un "
              "administrateur.",
        "en": "Too many wrong login attempts for this account; wait fifteen minutes or ask an administrator.",
    },
    "bad_credentials": {
        "ar": "اسم المستخدم أو كلمة المرور غير صحيحة، أو أن الحساب معطل.",
        "fr": "Le nom d'utilisateur ou le mot de passe est incorrect, ou le compte est désactivé.",
        "en": "The user name or the password is wrong, or the account is disabled.",
    },
    "not_authenticated": {
        "ar": "هذا الإجراء خاص بأعضاء الفريق: سجّل الدخول أولاً.",
        "fr": "Cette action est réservée au personnel : connectez-vous d'abord.",
        "en": "This action is for staff: log in first.",
    },
    "invalid_session": {
        "ar": "هذه الجلسة غير موجودة أو انتهت: سجّل الدخول من جديد.",
        "fr": "Cette session n'existe pas ou a pris fin : reconnectez-vous.",
        "en": "This session does not exist or has ended: log in again.",
    },
    "session_expired": {
        "ar": "انتهت صلاحية الجلسة: سجّل الدخول من جديد.",
        "fr": "La session a expiré : reconnectez-vous.",
        "en": "The session has expired: log in again.",
    },
    "route_not_authorised": {
        "ar": "هذا العنوان غير مدرج في جدول الصلاحيات، فلا يمكن لأحد استعماله.",
        "fr": "Cette adresse ne figure pas dans la matrice des autorisations : personne ne peut l'utiliser.",
        "en": "This address is not in the authorisation matrix, so nobody may use it.",
    },
    "duplicate_username": {
        "ar": "يوجد حساب آخر بنفس اسم المستخدم.",
        "fr": "Un compte porte déjà ce nom d'utilisateur.",
        "en": "An account with this user name already exists.",
    },
    "unknown_account": {
        "ar": "لا يوجد حساب بهذا الاسم.",
        "fr": "Aucun compte ne porte ce nom.",
        "en": "No account has this name.",
    },
    "last_admin": {
        "ar": "هذا آخر حساب مسؤول مفعّل: أنشئ حساب مسؤول آخر قبل تعطيله.",
        "fr": "C'est le dernier compte d'administration actif : créez-en un autre avant de le désactiver.",
        "en": "This is the last enabled admin account: add another admin before disabling it.",
    },
    "invalid_username": {
        "ar": "اسم المستخدم غير صالح: من 2 إلى 64 حرفاً لاتينياً صغيراً أو رقماً أو نقطة أو شرطة.",
        "fr": "Le nom d'utilisateur n'est pas valide : de 2 à 64 lettres minuscules, chiffres, points ou tirets.",
        "en": "The user name is not valid: 2 to 64 lowercase letters, digits, dots or dashes.",
    },
    "unknown_role": {
        "ar": "هذه الصفة غير معروفة: اختر فريق الميزانية التشاركية أو لجنة الانتقاء أو موظف الإدخال أو المدقق أو "
              "المسؤول.",
        "fr": "Ce rôle n'existe pas : choisissez l'équipe du budget participatif, le comité, la saisie, l'audit ou "
              "l'administration.",
        "en": "This role does not exist: choose the PB team, the committee, data entry, audit or administration.",
    },
    "weak_password": {
        "ar": "كلمة المرور قصيرة جداً: 12 حرفاً على الأقل.",
        "fr": "Le mot de passe est trop court : au moins 12 caractères.",
        "en": "The password is too short: at least 12 characters.",
    },
    "passwords_differ": {
        "ar": "كلمتا المرور المكتوبتان غير متطابقتين.",
        "fr": "Les deux mots de passe saisis diffèrent.",
        "en": "The two passwords typed differ.",
    },
    "register_too_large": {
        "ar": "ملف لائحة الساكنة المؤهلة أكبر من الحجم المقبول.",
        "fr": "Le fichier de la liste des habitants pouvant voter dépasse la taille acceptée.",
        "en": "The register file is larger than the service accepts.",
    },
    # --- the edges: the HTTP API and the command line -------------------------------------------------------------
    "invalid_request": {
        "ar": "الطلب غير صحيح: إحدى قيمه ناقصة أو غير صالحة.",
        "fr": "La requête n'est pas valide : une de ses valeurs manque ou est incorrecte.",
        "en": "The request is not valid: one of its values is missing or wrong.",
    },
    "invalid_json": {
        "ar": "القيمة المقدمة ليست بصيغة JSON صحيحة.",
        "fr": "La valeur donnée n'est pas du JSON valide.",
        "en": "The value given is not valid JSON.",
    },
    "invalid_rules": {
        "ar": "قواعد التصويت المقدمة غير صالحة: قدّمها بصيغة JSON وبالحقول المعتمدة فقط.",
        "fr": "Les règles de vote données ne sont pas valides : donnez un objet JSON avec les seuls champs prévus.",
        "en": "The vote rules given are not valid: give a JSON object with only the expected fields.",
    },
    "voting_not_closed": {
        "ar": "لم يُغلق التصويت بعد؛ لا يمكن تصدير الدورة قبل إغلاقه.",
        "fr": "Le vote n'est pas encore clos ; le cycle ne peut pas être exporté avant sa clôture.",
        "en": "The vote is not closed yet; the cycle cannot be exported before it closes.",
    },
    "unexportable_project_id": {
        "ar": "لا يمكن كتابة رمز هذا المشروع في ملف .pb لأنه يتضمن فاصلة أو فراغاً في طرفيه أو سطراً جديداً.",
        "fr": "L'identifiant de ce projet ne peut pas être écrit dans un fichier .pb : il contient une virgule, un "
              "espace au début ou à la fin, ou un retour à la ligne.",
        "en": "This project's id cannot be written in a .pb file: it holds a comma, a space at either end, or a line "
              "break.",
    },
    "already_voted": {
        "ar": "سبق لهذا الشخص أن صوّت في هذه الدورة، إلكترونياً أو ورقياً، ولا يُقبل إلا صوت واحد.",
        "fr": "Cette personne a déjà voté dans ce cycle, en ligne ou sur papier : un seul bulletin est accepté.",
        "en": "This person has already voted in this cycle, online or on paper: only one ballot is accepted.",
    },
    "wrong_district": {
        "ar": "هذا الصوت لا يخص هذه المقاطعة: مشروع من مقاطعة أخرى، أو مقاطعة غير مقاطعة سكن الناخب.",
        "fr": "Ce bulletin ne relève pas de ce district : un projet d'un autre district, ou un district qui n'est "
              "pas celui où vit la personne.",
        "en": "This ballot does not belong to this district: a project of another district, or a district that is "
              "not where the person lives.",
    },
    "district_required": {
        "ar": "التصويت في هذه الدورة حسب المقاطعات: يجب تحديد مقاطعة الصوت.",
        "fr": "Ce cycle vote par district : indiquez le district du bulletin.",
        "en": "This cycle votes by district: say which district the ballot is for.",
    },
    "no_district_vote": {
        "ar": "التصويت في هذه الدورة على ميزانية واحدة: لا يحدد الصوت أي مقاطعة.",
        "fr": "Ce cycle vote sur un seul budget : un bulletin n'indique pas de district.",
        "en": "This cycle votes on a single budget: a ballot names no district.",
    },
    "envelopes_missing": {
        "ar": "التصويت حسب المقاطعات يتطلب تحديد غلاف مالي لكل مقاطعة أولاً.",
        "fr": "Un vote par district demande d'abord l'enveloppe de chaque district.",
        "en": "A vote by district needs each district's envelope to be set first.",
    },
    "project_without_district": {
        "ar": "كل مشروع معروض للتصويت يجب أن ينتمي إلى مقاطعة واحدة لها غلاف مالي.",
        "fr": "Chaque projet soumis au vote doit appartenir à un seul district doté d'une enveloppe.",
        "en": "Every project put to the vote must belong to exactly one district that has an envelope.",
    },
    "register_without_districts": {
        "ar": "التصويت في مقاطعة السكن يتطلب لائحة تذكر مقاطعة كل ساكن.",
        "fr": "Voter dans son district de résidence demande une liste qui donne le district de chaque habitant.",
        "en": "Voting in one's district of residence needs a register that gives each resident's district.",
    },
    "revoting_needs_register": {
        "ar": "إعادة التصويت تتطلب لائحة الساكنة المؤهلة لمعرفة الصوت الذي يحل محله صوت لاحق.",
        "fr": "Le vote multiple demande une liste des habitants, pour savoir quel bulletin un bulletin ultérieur remplace.",
        "en": "Re-voting needs a register of eligible residents, to know which ballot a later one replaces.",
    },
    "unknown_revoting": {
        "ar": "قاعدة إعادة التصويت هذه غير معروفة؛ القاعدة المقبولة الوحيدة هي احتساب آخر صوت.",
        "fr": "Cette règle de vote multiple est inconnue ; valeur admise : last-ballot-counts.",
        "en": "This re-voting rule is unknown; the accepted value is last-ballot-counts.",
    },
    "unknown_district_vote": {
        "ar": "طريقة التصويت حسب المقاطعات هذه غير معروفة؛ المقبول هو التصويت في مقاطعة السكن أو في أي مقاطعة.",
        "fr": "Ce mode de vote par district est inconnu ; valeurs admises : residence ou any.",
        "en": "This way of voting by district is unknown; the accepted values are residence or any.",
    },
    "invalid_batch": {
        "ar": "صيغة الدفعة غير صحيحة: الدفعة قائمة بأسطر، كل سطر ورقة تصويت واحدة.",
        "fr": "Le lot est mal formé : un lot est une liste de lignes, une par bulletin.",
        "en": "The batch is malformed: a batch is a list of lines, one per ballot.",
    },
    "empty_batch": {
        "ar": "الدفعة فارغة: لم يُدخل أي شيء، ويبقى رقمها متاحا.",
        "fr": "Le lot est vide : rien n'a été saisi et son numéro reste disponible.",
        "en": "The batch is empty: nothing was entered and its number stays available.",
    },
    "batch_already_entered": {
        "ar": "هذه الدفعة من أوراق التصويت لهذا المكتب أُدخلت من قبل.",
        "fr": "Ce lot de bulletins papier de ce bureau de vote a déjà été saisi.",
        "en": "This batch of paper ballots from this polling station has already been entered.",
    },
    "same_clerk": {
        "ar": "الإدخال الثاني للدفعة يجب أن يقوم به موظف آخر.",
        "fr": "La deuxième saisie d'un lot doit être faite par un autre agent.",
        "en": "The second typing of a batch must be done by another clerk.",
    },
    "clerk_reference_required": {
        "ar": "في الإدخال المزدوج يذكر كل موظف مرجعه، ليقوم موظفان مختلفان بإدخال كل دفعة.",
        "fr": "En double saisie, chaque agent donne sa référence, pour que deux agents différents saisissent chaque lot.",
        "en": "Under double entry each clerk gives their reference, so that two different clerks type each batch.",
    },
    "not_eligible": {
        "ar": "هذا الشخص غير مسجل في لائحة الساكنة المؤهلة للتصويت.",
        "fr": "Cette personne ne figure pas sur la liste des habitants pouvant voter.",
        "en": "This person is not on the register of residents who may vote.",
    },
    "no_register": {
        "ar": "لا توجد لائحة للساكنة المؤهلة في هذه الدورة، فلا يُربط الصوت بأي شخص.",
        "fr": "Ce cycle n'a pas de liste des habitants pouvant voter : un bulletin n'y est lié à personne.",
        "en": "This cycle has no register of eligible residents: a ballot is not tied to anyone.",
    },
    "no_register_store": {
        "ar": "لا تحتفظ هذه الخدمة بلائحة الساكنة المؤهلة.",
        "fr": "Ce service ne conserve pas de liste des habitants pouvant voter.",
        "en": "This service keeps no register of eligible residents.",
    },
    "empty_register": {
        "ar": "لائحة الساكنة المؤهلة فارغة.",
        "fr": "La liste des habitants pouvant voter est vide.",
        "en": "The register of eligible residents is empty.",
    },
    "invalid_tokens": {
        "ar": "رموز التصويت غير صالحة أو مكررة.",
        "fr": "Les jetons de vote sont invalides ou en double.",
        "en": "The ballot tokens are invalid or repeated.",
    },
    "malformed_register": {
        "ar": "ملف لائحة الساكنة غير سليم: يجب أن يبدأ بسطر يسمّي الأعمدة، أولها رقم البطاقة الوطنية.",
        "fr": "Le fichier de la liste est mal formé : sa première ligne doit nommer les colonnes, national_id d'abord.",
        "en": "The register file is malformed: its first line must name the columns, national_id first.",
    },
    "code_expired": {
        "ar": "لا يوجد رمز صالح لهذا الناخب؛ اطلب رمزاً جديداً.",
        "fr": "Aucun code valable pour cette personne : demandez-en un nouveau.",
        "en": "There is no valid code for this voter: ask for a new one.",
    },
    "too_many_requests": {
        "ar": "طلبات كثيرة من هذا العنوان في وقت قصير؛ انتظر قليلا ثم أعد المحاولة.",
        "fr": "Trop de demandes depuis cette adresse en peu de temps ; patientez un peu, puis recommencez.",
        "en": "Too many requests from this address in a short time; wait a moment, then try again.",
    },
    "request_too_large": {
        "ar": "هذا الطلب أكبر من الحجم المسموح به.",
        "fr": "Cette requête dépasse la taille permise.",
        "en": "This request is larger than allowed.",
    },
    "too_many_codes": {
        "ar": "طُلبت رموز كثيرة لهذا الشخص في وقت قصير؛ انتظر قليلا ثم أعد الطلب.",
        "fr": "Trop de codes ont été demandés pour cette personne en peu de temps ; patientez, puis redemandez.",
        "en": "Too many codes were asked for this person in a short time; wait, then ask again.",
    },
    "wrong_code": {
        "ar": "الرمز المُدخل لا يطابق الرمز المُرسل.",
        "fr": "Le code saisi n'est pas celui qui a été envoyé.",
        "en": "The code entered is not the one that was sent.",
    },
    "amount_too_large": {
        "ar": "المبلغ أكبر من الحد الذي يمكن تسجيله بدقة في السجل.",
        "fr": "Ce montant dépasse la plus grande valeur que le journal peut enregistrer exactement.",
        "en": "This amount is larger than the log can record exactly.",
    },
    "value_out_of_range": {
        "ar": "قيمة عددية خارج الحدود التي يقبلها السجل.",
        "fr": "Une valeur numérique sort des limites acceptées par le journal.",
        "en": "A number is outside the range the log accepts.",
    },
    "database_unreachable": {
        "ar": "تعذر الاتصال بقاعدة المعطيات؛ تحقق من عنوانها ومن تشغيل الخادم.",
        "fr": "Impossible de joindre la base de données ; vérifiez son adresse et que le serveur fonctionne.",
        "en": "The database cannot be reached; check its address and that the server is running.",
    },
    "no_such_address": {
        "ar": "هذا العنوان غير موجود في الخدمة.",
        "fr": "Cette adresse n'existe pas sur ce service.",
        "en": "This address does not exist on this service.",
    },
    "method_not_allowed": {
        "ar": "هذه العملية غير متاحة على هذا العنوان.",
        "fr": "Cette opération n'est pas possible à cette adresse.",
        "en": "This operation is not available at this address.",
    },
    "http_error": {
        "ar": "تعذرت معالجة الطلب.",
        "fr": "La requête n'a pas pu être traitée.",
        "en": "The request could not be handled.",
    },
    "file_error": {
        "ar": "تعذرت قراءة ملف أو كتابته؛ تحقق من المسار ومن الصلاحيات.",
        "fr": "Un fichier n'a pas pu être lu ou écrit ; vérifiez le chemin et les droits.",
        "en": "A file could not be read or written; check the path and the permissions.",
    },
    # --- the pages' forms (pb_ledger/web/forms.py, ballot_pages.py, paper_forms.py, staff_pages.py) ---------------
    "not_a_number": {
        "ar": "اكتب عدداً صحيحاً بالأرقام.",
        "fr": "Écrivez un nombre entier, en chiffres.",
        "en": "Write a whole number, in digits.",
    },
    "malformed_line": {
        "ar": "تعذرت قراءة سطر أو أكثر؛ صحّح الصيغة وأعد الإرسال، فلم يُسجَّل أي شيء.",
        "fr": "Une ou plusieurs lignes sont illisibles ; corrigez leur format et renvoyez : rien n'a été enregistré.",
        "en": "One or more lines cannot be read; correct their format and send again: nothing was recorded.",
    },
    "rank_repeated": {
        "ar": "أعطيتَ الرتبة نفسها لمشروعين؛ لكل مشروع رتبة مختلفة.",
        "fr": "Vous avez donné le même rang à deux projets ; chaque projet a son propre rang.",
        "en": "You gave the same rank to two projects; each project has its own rank.",
    },
    "confirmation_required": {
        "ar": "أكّد هذا الإجراء بوضع علامة في الخانة المخصصة، لأنه لا يمكن التراجع عنه.",
        "fr": "Confirmez cette action en cochant la case prévue : elle ne peut pas être annulée.",
        "en": "Confirm this action by ticking its box: it cannot be undone.",
    },
    "unknown_step": {
        "ar": "هذه الاستمارة غير موجودة في هذه الصفحة.",
        "fr": "Ce formulaire n'existe pas sur cette page.",
        "en": "This form does not exist on this page.",
    },
    "configuration": {
        "ar": "تعذر على الخدمة استعمال إعداداتها أو أحد ملفاتها؛ تحقق من الإعدادات ومن صلاحيات الولوج إلى الملفات.",
        "fr": "Le service ne peut pas utiliser sa configuration ou l'un de ses fichiers ; vérifiez les réglages et les "
              "droits d'accès aux fichiers.",
        "en": "The service cannot use its configuration or one of its files; check the settings and the file "
              "permissions.",
    },
}


def message(code: str, lang: str) -> str:
    """The sentence explaining `code` in `lang`; English when that language has none, else the code itself."""
    texts = MESSAGES.get(code, {})
    return texts.get(lang) or texts.get(FALLBACK_LANGUAGE) or code
