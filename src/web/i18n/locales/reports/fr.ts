// French texts of the transparency page and the desk's Indicators page; spread into fr.ts.
import type { reportsEn } from './en.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const reportsFr: Shape<typeof reportsEn> = {
  transparency: {
    title: 'Transparence : mise en œuvre de la Convention',
    intro:
      'Les rapports publiés par {{state}} sur sa mise en œuvre de la Convention des Nations Unies contre la cybercriminalité : chiffres calculés à partir des enregistrements audités du nœud, signés par le nœud.',
    privacy:
      'Aucun chiffre ne nomme une personne. Un nombre inférieur à {{threshold}} est affiché « <{{threshold}} » et les demandes confidentielles ne comptent que dans les totaux, afin qu’aucune affaire ne puisse être reconnue.',
    none: 'Aucun rapport n’a encore été publié.',
    chartsTitle: 'Principaux indicateurs dans le temps',
    countsChart: 'Demandes',
    timesChart: 'Délai de réponse médian',
    shareChart: 'Réponses dans le délai',
    unitCount: 'nombre',
    unitHours: 'heures',
    unitPercent: '%',
    gapNote:
      'Un vide ou un tiret : moins de {{threshold}} cas, non publié afin qu’aucune affaire ne puisse être reconnue.',
    asTable: 'Les chiffres sous forme de tableau',
    period: 'Période',
    reportsTitle: 'Rapports publiés',
    releasedOn: 'Publié le {{date}}',
    checkpoint: 'journal d’audit à {{size}} entrées',
    downloads: 'Téléchargements du rapport {{period}}',
    signedJson: 'Rapport signé (JSON)',
    csv: 'Tableau (CSV)',
    pdf: 'Rapport imprimable avec graphiques',
    verifyTitle: 'Vérifier un rapport soi-même',
    verifyBody:
      'Chaque rapport est signé par ce nœud avec l’état de son journal d’audit à ce moment. Téléchargez le rapport signé et vérifiez-le avec la ligne de commande hanoi247, qui contrôle la signature avec la clé publique du nœud inscrite à l’annuaire :',
    schema: 'Le format publié des rapports (JSON Schema)',
    definitionsTitle: 'Définition de chaque indicateur',
    deskLink: 'Se connecter au poste de travail',
    publicReports: 'Rapports publics sur la mise en œuvre',
    regionalTitle: 'Agrégat régional : {{region}}',
    regionalIntro:
      'Chiffres additionnés sur les rapports publiés des États membres de {{region}}, chacun vérifié avec la signature de son nœud. Seuls ces totaux circulent entre les nœuds.',
    regionalMembers: 'Rapports pris en compte',
    regionalBounds: 'entre {{min}} et {{max}}',
    regionalNone: 'Aucun rapport de membre n’a encore été reçu.',
  },
  indicatorsPage: {
    title: 'Indicateurs',
    intro:
      'Les chiffres d’une période tels qu’ils sont maintenant, calculés à partir des changements d’état audités. Choisissez un chiffre pour voir les demandes qui le composent.',
    period: 'Période',
    periodHint: 'Une année (2026), un trimestre (2026-Q4) ou un mois (2026-11)',
    show: 'Afficher',
    any: 'Tous',
    breakdown: 'Ventilation',
    filtersNote:
      'Avec un filtre, les demandes confidentielles sont exclues : elles ne comptent que dans les totaux.',
    partial: 'Cette période est en cours : ses chiffres peuvent encore augmenter.',
    indicator: 'Indicateur',
    group: 'Groupe',
    value: 'Nombre',
    median: 'Médiane (heures)',
    p90: '90e centile (heures)',
    share: 'Dans le délai',
    traceButton: 'Ce qui compose {{indicator}} ({{group}}) : {{value}}',
    traceTitle: 'Ce qui compose : {{indicator}} ({{group}})',
    traceCount: 'Comptés : {{count}}',
    traceHidden: 'Demandes confidentielles comptées mais non listées pour vous : {{count}}',
    traceEmpty: 'Rien à lister.',
    counted: 'Compté',
    when: 'Quand',
    auditEntry: 'Entrée du journal d’audit',
    objectRequest: 'Demande',
    objectHubAlert: 'Alerte',
    objectHubOrg: 'Organisation',
    objectOther: 'Enregistrement',
    chartTitle: 'Principaux indicateurs en {{period}}',
    close: 'Fermer',
  },
};
