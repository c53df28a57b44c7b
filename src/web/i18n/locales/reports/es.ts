// Spanish texts of the transparency page and the desk's Indicators page; awaiting review by a legal
// translator; spread into es.ts.
import type { reportsEn } from './en.ts';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

export const reportsEs: Shape<typeof reportsEn> = {
  transparency: {
    title: 'Transparencia: aplicación de la Convención',
    intro:
      'Los informes publicados por {{state}} sobre su aplicación de la Convención de las Naciones Unidas contra la Ciberdelincuencia: cifras calculadas a partir de los registros auditados del nodo y firmadas por el nodo.',
    privacy:
      'Ninguna cifra nombra a una persona. Un número inferior a {{threshold}} se muestra como «<{{threshold}}» y las solicitudes confidenciales solo cuentan en los totales, para que no pueda reconocerse ningún caso concreto.',
    none: 'Todavía no se ha publicado ningún informe.',
    chartsTitle: 'Principales indicadores a lo largo del tiempo',
    countsChart: 'Solicitudes',
    timesChart: 'Tiempo de respuesta mediano',
    shareChart: 'Respuestas dentro del plazo',
    unitCount: 'número',
    unitHours: 'horas',
    unitPercent: '%',
    gapNote:
      'Un hueco o un guion: menos de {{threshold}} casos, no publicado para que no pueda reconocerse ningún caso.',
    asTable: 'Las cifras en una tabla',
    period: 'Período',
    reportsTitle: 'Informes publicados',
    releasedOn: 'Publicado el {{date}}',
    checkpoint: 'registro de auditoría con {{size}} entradas',
    downloads: 'Descargas del informe {{period}}',
    signedJson: 'Informe firmado (JSON)',
    csv: 'Tabla (CSV)',
    pdf: 'Informe imprimible con gráficos',
    verifyTitle: 'Compruebe un informe usted mismo',
    verifyBody:
      'Cada informe está firmado por este nodo junto con el estado de su registro de auditoría en ese momento. Descargue el informe firmado y compruébelo con la línea de comandos de hanoi247, que verifica la firma con la clave pública del nodo inscrita en el directorio:',
    schema: 'El formato publicado de los informes (JSON Schema)',
    definitionsTitle: 'Cómo se define cada indicador',
    deskLink: 'Iniciar sesión en el puesto de trabajo',
    publicReports: 'Informes públicos sobre la aplicación',
    regionalTitle: 'Agregado regional: {{region}}',
    regionalIntro:
      'Cifras sumadas de los informes publicados de los Estados miembros de {{region}}, cada uno comprobado con la firma de su nodo. Solo estos totales viajan entre los nodos.',
    regionalMembers: 'Informes incluidos',
    regionalBounds: 'entre {{min}} y {{max}}',
    regionalNone: 'Todavía no se ha recibido ningún informe de los miembros.',
  },
  indicatorsPage: {
    title: 'Indicadores',
    intro:
      'Las cifras de un período tal como están ahora, calculadas a partir de los cambios de estado auditados. Elija una cifra para ver las solicitudes que la componen.',
    period: 'Período',
    periodHint: 'Un año (2026), un trimestre (2026-Q4) o un mes (2026-11)',
    show: 'Mostrar',
    any: 'Todos',
    breakdown: 'Desglose',
    filtersNote: 'Con un filtro se excluyen las solicitudes confidenciales: solo cuentan en los totales.',
    partial: 'Este período sigue en curso: sus cifras aún pueden aumentar.',
    indicator: 'Indicador',
    group: 'Grupo',
    value: 'Número',
    median: 'Mediana (horas)',
    p90: 'Percentil 90 (horas)',
    share: 'Dentro del plazo',
    traceButton: 'Qué compone {{indicator}} ({{group}}): {{value}}',
    traceTitle: 'Qué compone: {{indicator}} ({{group}})',
    traceCount: 'Contados: {{count}}',
    traceHidden: 'Solicitudes confidenciales contadas pero no listadas para usted: {{count}}',
    traceEmpty: 'Nada que listar.',
    counted: 'Contado',
    when: 'Cuándo',
    auditEntry: 'Entrada del registro de auditoría',
    objectRequest: 'Solicitud',
    objectHubAlert: 'Alerta',
    objectHubOrg: 'Organización',
    objectOther: 'Registro',
    chartTitle: 'Principales indicadores en {{period}}',
    close: 'Cerrar',
  },
};
