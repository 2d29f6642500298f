/* The generator's word lists: people's names by country (accents as people
 * write them), mail providers (reserved .example domains: no mail can ever
 * reach a real person), streets, the cities dealers sit in with their time
 * zones, and vehicle models behind real WMIs of src/vehicles/wmi.c. */
#include <string.h>
#include "seed/internal.h"

#define L(a)                                                                                                 \
  { a, (int)(sizeof(a) / sizeof((a)[0])) }

/* --- France */
static const char *const fr_first[] = {
    "Émilie",   "Léa",    "Chloé",  "Hélène",    "Jérôme",  "François", "Stéphane", "Loïc",
    "Gaëlle",   "Zoé",    "Noémie", "Thérèse",   "Benoît",  "Cédric",   "Mathéo",   "Raphaël",
    "Anaïs",    "Maëlle", "Élodie", "Sébastien", "Camille", "Julien",   "Manon",    "Nicolas",
    "Pauline",  "Thomas", "Céline", "Aurélien",  "Inès",    "Hugo",     "Clément",  "Margaux",
    "Frédéric", "Agnès",  "Rémi",   "Solène",    "Valérie", "Grégoire", "Océane",   "Joël"};
static const char *const fr_last[] = {
    "Lefèvre", "Dubois",   "Martin",    "Bernard",  "Durand",    "Moreau",   "Lefebvre", "Girard", "Bonnet",
    "Mercier", "Lemaître", "Fontaine",  "Rousseau", "Chevalier", "Gauthier", "François", "Faure",  "Rivière",
    "Leroy",   "Roux",     "Petit",     "Garnier",  "Chauvin",   "Bézier",   "Guérin",   "Ménard", "Boucher",
    "Lécuyer", "Pâris",    "Desmarais", "Perrin",   "Morel",     "Laurent",  "Michel",   "Caron",  "Noël",
    "Aubré",   "Brisson",  "Dufour",    "Leclerc",  "Hébert",    "Renaud",   "Marchand", "Fabre",  "Colin",
    "Vidal",   "Barbier",  "Lacroix",   "Gérard",   "Prévost"};
static const char *const fr_domains[] = {"orange.example", "free.example",  "laposte.example",
                                         "sfr.example",    "gmail.example", "wanadoo.example"};
static const char *const fr_streets[] = {"rue de la Paix",      "avenue Jean-Jaurès", "rue Victor-Hugo",
                                         "boulevard Gambetta",  "rue de l'Église",    "place du Marché",
                                         "chemin des Écoliers", "rue Pasteur",        "allée des Tilleuls"};

/* --- Québec */
static const char *const qc_first[] = {"Émile",      "Félix",    "Mégane",    "Maëva",   "Jérémie",
                                       "Frédérique", "Rosalie",  "Étienne",   "Olivier", "Laurence",
                                       "Gabrielle",  "Samuel",   "Élisabeth", "Mathis",  "Béatrice",
                                       "Noémie",     "Zacharie", "Anaïs",     "Ludovic", "Justine"};
static const char *const qc_last[] = {
    "Tremblay", "Gagnon",  "Roy",       "Côté",     "Bouchard",  "Gauthier", "Morin",   "Lavoie",   "Fortin",
    "Gagné",    "Ouellet", "Pelletier", "Bélanger", "Lévesque",  "Bergeron", "Leblanc", "Paquette", "Girard",
    "Simard",   "Boucher", "Poirier",   "Bérubé",   "Thériault", "Cloutier", "Dionne"};
static const char *const qc_domains[] = {"videotron.example", "bell.example", "gmail.example",
                                         "sympatico.example"};
static const char *const qc_streets[] = {
    "rue Saint-Denis",      "boulevard René-Lévesque",      "rue Sainte-Catherine",
    "avenue du Mont-Royal", "chemin de la Côte-des-Neiges", "rue Beaubien"};

/* --- the Netherlands */
static const char *const nl_first[] = {
    "Sanne",   "Daan",     "Anouk", "Bram",    "Fleur", "Joëlle", "Sem",    "Lotte", "Thijs", "Noë",
    "Jeroen",  "Femke",    "Ruud",  "Marieke", "Sven",  "Ilse",   "Stijn",  "Eva",   "Niels", "Roos",
    "Maarten", "Annelies", "Koen",  "Linde",   "Gijs",  "Zoë",    "Wouter", "Floor", "Teun",  "Chloë"};
static const char *const nl_last[] = {"de Vries",  "van den Berg", "Jansen",   "Bakker",       "Visser",
                                      "Smit",      "Meijer",       "de Boer",  "Mulder",       "de Jong",
                                      "van Dijk",  "Dekker",       "Brouwer",  "van der Meer", "Verhoeven",
                                      "Hoogeveen", "Vermeulen",    "de Graaf", "van Leeuwen",  "Kok",
                                      "Schouten",  "Willemsen",    "Hendriks", "van Beek",     "Prins",
                                      "Huisman",   "Post",         "Kuipers",  "Veenstra",     "van 't Hof"};
static const char *const nl_domains[] = {"ziggo.example", "kpnmail.example", "gmail.example",
                                         "hotmail.example", "xs4all.example"};
static const char *const nl_streets[] = {"Kerkstraat",   "Dorpsstraat", "Molenweg",      "Stationsplein",
                                         "Schoolstraat", "Julianalaan", "Beatrixstraat", "Prinsengracht"};

/* --- Flanders and Wallonia */
static const char *const be_nl_first[] = {"Lucas", "Louise", "Arthur", "Elise",  "Wout",  "Noor",   "Ruben",
                                          "Lien",  "Jens",   "Febe",   "Tibo",   "Hanne", "Jasper", "Ine",
                                          "Seppe", "Margot", "Warre",  "Amélie", "Lowie", "Jolien"};
static const char *const be_nl_last[] = {
    "Peeters",  "Janssens", "Maes",          "Jacobs",    "Mertens",   "Willems",    "Claes",  "Goossens",
    "Wouters",  "De Smet",  "Vandenbroucke", "Van Damme", "De Clercq", "Verstraete", "Desmet", "Hermans",
    "Michiels", "Coppens",  "Van de Velde",  "Declercq",  "Van Acker", "Lemmens"};
static const char *const be_fr_first[] = {"Mathis", "Amélie",    "Noé",     "Juliette", "Maxime", "Hélène",
                                          "Loïc",   "Célestine", "Théo",    "Aurore",   "Cédric", "Mélanie",
                                          "Arnaud", "Bénédicte", "Grégory", "Sébastien"};
static const char *const be_fr_last[] = {"Lambert", "Dupont",   "Dumont",    "Leclercq", "Simon",
                                         "Denis",   "Renard",   "Collignon", "Lejeune",  "Delvaux",
                                         "Gérard",  "Mathieu",  "Dubois",    "Hubert",   "Lefèbvre",
                                         "Noël",    "Wauthier", "Piérard",   "Delhaye"};
static const char *const be_domains[] = {"telenet.example", "skynet.example", "proximus.example",
                                         "gmail.example", "hotmail.example"};
static const char *const be_nl_streets[] = {"Kerkstraat",  "Stationsstraat", "Molenstraat",
                                            "Grote Markt", "Nieuwstraat",    "Kapelstraat"};
static const char *const be_fr_streets[] = {"rue de la Station", "chaussée de Louvain", "rue Haute",
                                            "avenue Louise",     "place Saint-Lambert", "rue du Moulin"};

/* --- Germany, Austria, German-speaking Switzerland */
static const char *const de_first[] = {"Jürgen", "Jörg",     "Sören",   "Björn",      "Uwe",    "Günter",
                                       "Käthe",  "Lena",     "Lukas",   "Maximilian", "Sophie", "Hannah",
                                       "Felix",  "Jonas",    "Mia",     "Leonie",     "Tobias", "Katrin",
                                       "Dörte",  "Matthias", "Anja",    "Stefan",     "Sabine", "Bärbel",
                                       "Jürgen", "Annika",   "Rüdiger", "Hans-Peter", "Heike",  "Ümit"};
static const char *const de_last[] = {
    "Müller",   "Schmidt",  "Schneider", "Fischer",    "Weber",   "Meyer",    "Wagner", "Becker",
    "Schulz",   "Hoffmann", "Schäfer",   "Koch",       "Bauer",   "Richter",  "Klein",  "Wolf",
    "Schröder", "Neumann",  "Schwarz",   "Zimmermann", "Krüger",  "Hartmann", "Lange",  "Köhler",
    "Weiß",     "Jäger",    "Groß",      "Böhm",       "Günther", "Förster",  "Krämer", "Vogel",
    "Brandt",   "Haas",     "Schulte",   "Dietrich",   "Kühn",    "Pohl",     "Fuchs",  "Möller"};
static const char *const de_domains[] = {"web.example", "gmx.example", "t-online.example", "gmail.example",
                                         "posteo.example"};
static const char *const de_streets[] = {"Hauptstraße",   "Schulstraße", "Gartenstraße",
                                         "Bahnhofstraße", "Dorfstraße",  "Bergstraße",
                                         "Lindenallee",   "Mühlenweg",   "Am Marktplatz"};

/* --- Italy */
static const char *const it_first[] = {"Giulia",   "Francesca", "Alessandro", "Niccolò", "Lorenzo",
                                       "Chiara",   "Matteo",    "Sofia",      "Andrea",  "Giorgia",
                                       "Luca",     "Elisa",     "Federico",   "Martina", "Giuseppe",
                                       "Beatrice", "Tommaso",   "Ilaria",     "Pietro",  "Noemi"};
static const char *const it_last[] = {"Rossi",    "Russo",   "Ferrari", "Esposito",  "Bianchi",  "Romano",
                                      "Colombo",  "Ricci",   "Marino",  "Greco",     "Bruno",    "Gallo",
                                      "Conti",    "De Luca", "Mancini", "Costa",     "Giordano", "Rizzo",
                                      "Lombardi", "Moretti", "D'Amico", "Dell'Orto", "Barbieri", "Fontana",
                                      "Santoro",  "Mariani", "Rinaldi", "Caruso",    "Ferrara",  "Galli"};
static const char *const it_domains[] = {"libero.example", "virgilio.example", "gmail.example",
                                         "tiscali.example"};
static const char *const it_streets[] = {"Via Roma",           "Via Garibaldi",    "Corso Vittorio Emanuele",
                                         "Via Mazzini",        "Piazza del Duomo", "Via Dante",
                                         "Viale della Libertà"};

/* --- Spain */
static const char *const es_first[] = {"José",   "María",  "Lucía",  "Martín", "Sofía", "Hugo",   "Álvaro",
                                       "Inés",   "Íñigo",  "Begoña", "Raúl",   "Jesús", "Andrés", "Nuria",
                                       "Ángela", "Sergio", "Marta",  "Adrián", "Paula", "Iván"};
static const char *const es_last[] = {
    "García",  "Fernández", "González", "Rodríguez", "López",     "Martínez", "Sánchez", "Pérez",   "Gómez",
    "Martín",  "Jiménez",   "Ruiz",     "Hernández", "Díaz",      "Moreno",   "Muñoz",   "Álvarez", "Romero",
    "Alonso",  "Gutiérrez", "Navarro",  "Torres",    "Domínguez", "Vázquez",  "Ramos",   "Gil",     "Ramírez",
    "Serrano", "Blanco",    "Suárez",   "Peña",      "Ibáñez",    "Castaño",  "Núñez"};
static const char *const es_domains[] = {"gmail.example", "hotmail.example", "yahoo.example",
                                         "telefonica.example"};
static const char *const es_streets[] = {"Calle Mayor",   "Avenida de la Constitución",
                                         "Calle Real",    "Plaza de España",
                                         "Calle del Sol", "Paseo de la Castellana"};

/* --- Poland */
static const char *const pl_first[] = {"Łukasz",    "Paweł",      "Michał",    "Krzysztof", "Małgorzata",
                                       "Agnieszka", "Katarzyna",  "Wojciech",  "Zofia",     "Jędrzej",
                                       "Grażyna",   "Bożena",     "Jakub",     "Anna",      "Tomasz",
                                       "Piotr",     "Aleksandra", "Stanisław", "Joanna",    "Mikołaj"};
static const char *const pl_last[] = {
    "Nowak",      "Kowalski",  "Wiśniewski", "Wójcik",    "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
    "Szymański",  "Woźniak",   "Dąbrowski",  "Kozłowski", "Jankowski", "Mazur",    "Kwiatkowski", "Krawczyk",
    "Piotrowski", "Grabowski", "Nowakowski", "Pawłowski", "Michalski", "Król",     "Wieczorek",   "Jabłoński",
    "Wróbel",     "Majewski",  "Olszewski",  "Stępień",   "Małecki",   "Żak"};
static const char *const pl_domains[] = {"wp.example", "onet.example", "o2.example", "gmail.example",
                                         "interia.example"};
static const char *const pl_streets[] = {"ulica Długa",         "ulica Mickiewicza", "ulica Kościuszki",
                                         "aleja Jana Pawła II", "ulica Słowackiego", "plac Wolności"};

/* --- Sweden, Denmark, Norway, Finland */
static const char *const sv_first[] = {"Åsa",   "Björn",  "Mikael", "Linnéa",  "Ingrid", "Astrid",
                                       "Kjell", "Magnus", "Sigrid", "Håkan",   "Göran",  "Maja",
                                       "Elsa",  "Oskar",  "Märta",  "Torbjörn"};
static const char *const sv_last[] = {"Andersson", "Johansson", "Karlsson", "Nilsson",  "Eriksson",
                                      "Larsson",   "Olsson",    "Persson",  "Svensson", "Gustafsson",
                                      "Lindström", "Åberg",     "Sjöberg",  "Ström",    "Bäckström",
                                      "Lindqvist", "Holmgren",  "Öberg"};
static const char *const sv_domains[] = {"telia.example", "gmail.example", "bredband.example"};
static const char *const sv_streets[] = {"Storgatan",   "Drottninggatan", "Kungsgatan",
                                         "Östra Vägen", "Skolgatan",      "Järnvägsgatan"};
static const char *const da_first[] = {"Søren", "Mette",  "Frederik", "Freja",  "Signe",   "Rasmus",  "Mads",
                                       "Ida",   "Anders", "Sofie",    "Jørgen", "Kirsten", "Asbjørn", "Line"};
static const char *const da_last[] = {"Jensen",      "Nielsen",   "Hansen",    "Pedersen",   "Andersen",
                                      "Christensen", "Sørensen",  "Rasmussen", "Jørgensen",  "Madsen",
                                      "Kristensen",  "Thomsen",   "Møller",    "Østergaard", "Nørgaard",
                                      "Kjær",        "Dalsgaard", "Bækgaard"};
static const char *const da_domains[] = {"mail.example", "gmail.example", "jubii.example"};
static const char *const da_streets[] = {"Vestergade", "Østergade", "Nørregade", "Søndergade",
                                         "Algade",     "Kirkevej",  "Skovvej"};
static const char *const nb_first[] = {"Øystein", "Bjørn",    "Ingrid", "Kari", "Ola",   "Solveig", "Håkon",
                                       "Sindre",  "Ragnhild", "Tore",   "Åse",  "Eirik", "Marit",   "Ståle"};
static const char *const nb_last[] = {"Johansen", "Olsen",  "Larsen",  "Andersen", "Berg",   "Haugen",
                                      "Hagen",    "Bakken", "Solberg", "Lie",      "Dahl",   "Strøm",
                                      "Sæther",   "Løken",  "Kvåle",   "Bråthen",  "Nygård", "Sørli"};
static const char *const nb_domains[] = {"online.example", "gmail.example", "start.example"};
static const char *const nb_streets[] = {"Storgata",  "Kirkegata",   "Parkveien",
                                         "Skolegata", "Strandveien", "Bjørnstjerne Bjørnsons gate"};
static const char *const fi_first[] = {"Jyrki", "Aino",  "Päivi", "Mikko", "Jukka", "Sanna", "Eetu", "Ville",
                                       "Hanna", "Tiina", "Matti", "Kaisa", "Jäkä",  "Leevi", "Säde", "Olli"};
static const char *const fi_last[] = {
    "Korhonen", "Virtanen", "Mäkinen",  "Nieminen", "Mäkelä",       "Hämäläinen", "Laine",    "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen",     "Salminen",   "Heinonen", "Niemi",
    "Heikkilä", "Kinnunen", "Salonen",  "Turunen",  "Jääskeläinen", "Räsänen"};
static const char *const fi_domains[] = {"luukku.example", "gmail.example", "elisa.example"};
static const char *const fi_streets[] = {"Mannerheimintie", "Hämeenkatu", "Aleksanterinkatu",
                                         "Kauppakatu",      "Koulukatu",  "Rantatie"};

const fc_seed_nameset fc_seed_namesets[] = {
    {"fr", "fr", "FR", L(fr_first), L(fr_last), L(fr_domains), L(fr_streets), "SARL", "FR"},
    {"fr-ca", "fr", "CA", L(qc_first), L(qc_last), L(qc_domains), L(qc_streets), "inc.", "CA"},
    {"nl", "nl", "NL", L(nl_first), L(nl_last), L(nl_domains), L(nl_streets), "B.V.", "NL"},
    {"nl-be", "nl", "BE", L(be_nl_first), L(be_nl_last), L(be_domains), L(be_nl_streets), "BV", "BE"},
    {"fr-be", "fr", "BE", L(be_fr_first), L(be_fr_last), L(be_domains), L(be_fr_streets), "SRL", "BE"},
    {"de", "de", "DE", L(de_first), L(de_last), L(de_domains), L(de_streets), "GmbH", "DE"},
    {"it", "it", "IT", L(it_first), L(it_last), L(it_domains), L(it_streets), "S.r.l.", "IT"},
    {"es", "es", "ES", L(es_first), L(es_last), L(es_domains), L(es_streets), "S.L.", "ES"},
    {"pl", "pl", "PL", L(pl_first), L(pl_last), L(pl_domains), L(pl_streets), "Sp. z o.o.", "PL"},
    {"sv", "sv", "SE", L(sv_first), L(sv_last), L(sv_domains), L(sv_streets), "AB", "SE"},
    {"da", "da", "DK", L(da_first), L(da_last), L(da_domains), L(da_streets), "ApS", "DK"},
    {"nb", "nb", "NO", L(nb_first), L(nb_last), L(nb_domains), L(nb_streets), "AS", "NO"},
    {"fi", "fi", "FI", L(fi_first), L(fi_last), L(fi_domains), L(fi_streets), "Oy", "FI"},
};
const int fc_seed_n_namesets = (int)(sizeof fc_seed_namesets / sizeof fc_seed_namesets[0]);

int fc_seed_nameset_for(const char *cc, const char *locale) {
  const char *code = "fr";
  if (!strcmp(cc, "FR") || !strcmp(cc, "LU"))
    code = "fr";
  else if (!strcmp(cc, "CA"))
    code = "fr-ca";
  else if (!strcmp(cc, "NL"))
    code = "nl";
  else if (!strcmp(cc, "BE"))
    code = strncmp(locale, "nl", 2) == 0 ? "nl-be" : "fr-be";
  else if (!strcmp(cc, "DE") || !strcmp(cc, "AT"))
    code = "de";
  else if (!strcmp(cc, "CH"))
    code = strncmp(locale, "fr", 2) == 0 ? "fr" : "de";
  else if (!strcmp(cc, "IT"))
    code = "it";
  else if (!strcmp(cc, "ES"))
    code = "es";
  else if (!strcmp(cc, "PL"))
    code = "pl";
  else if (!strcmp(cc, "SE"))
    code = "sv";
  else if (!strcmp(cc, "DK"))
    code = "da";
  else if (!strcmp(cc, "NO"))
    code = "nb";
  else if (!strcmp(cc, "FI"))
    code = "fi";
  for (int i = 0; i < fc_seed_n_namesets; i++)
    if (!strcmp(fc_seed_namesets[i].code, code)) return i;
  return 0;
}

/* Bigger cities first within a country; the network's 170 dealers take the
 * list in order and wrap around, so the first cities get a second dealer. */
const fc_seed_city fc_seed_cities[] = {
    {"Paris", "FR", "Europe/Paris", "fr", "75011", NULL},
    {"Lyon", "FR", "Europe/Paris", "fr", "69003", NULL},
    {"Marseille", "FR", "Europe/Paris", "fr", "13008", NULL},
    {"Toulouse", "FR", "Europe/Paris", "fr", "31000", NULL},
    {"Nice", "FR", "Europe/Paris", "fr", "06000", NULL},
    {"Nantes", "FR", "Europe/Paris", "fr", "44000", NULL},
    {"Strasbourg", "FR", "Europe/Paris", "fr", "67000", NULL},
    {"Montpellier", "FR", "Europe/Paris", "fr", "34000", NULL},
    {"Bordeaux", "FR", "Europe/Paris", "fr", "33000", NULL},
    {"Lille", "FR", "Europe/Paris", "fr", "59000", NULL},
    {"Rennes", "FR", "Europe/Paris", "fr", "35000", NULL},
    {"Reims", "FR", "Europe/Paris", "fr", "51100", NULL},
    {"Le Havre", "FR", "Europe/Paris", "fr", "76600", NULL},
    {"Grenoble", "FR", "Europe/Paris", "fr", "38000", NULL},
    {"Dijon", "FR", "Europe/Paris", "fr", "21000", NULL},
    {"Angers", "FR", "Europe/Paris", "fr", "49000", NULL},
    {"Nîmes", "FR", "Europe/Paris", "fr", "30000", NULL},
    {"Clermont-Ferrand", "FR", "Europe/Paris", "fr", "63000", NULL},
    {"Besançon", "FR", "Europe/Paris", "fr", "25000", NULL},
    {"Orléans", "FR", "Europe/Paris", "fr", "45000", NULL},
    {"Metz", "FR", "Europe/Paris", "fr", "57000", NULL},
    {"Rouen", "FR", "Europe/Paris", "fr", "76000", NULL},
    {"Mulhouse", "FR", "Europe/Paris", "fr", "68100", NULL},
    {"Caen", "FR", "Europe/Paris", "fr", "14000", NULL},
    {"Nancy", "FR", "Europe/Paris", "fr", "54000", NULL},
    {"Perpignan", "FR", "Europe/Paris", "fr", "66000", NULL},
    {"Limoges", "FR", "Europe/Paris", "fr", "87000", NULL},
    {"Tours", "FR", "Europe/Paris", "fr", "37000", NULL},
    {"Amiens", "FR", "Europe/Paris", "fr", "80000", NULL},
    {"Annecy", "FR", "Europe/Paris", "fr", "74000", NULL},
    {"Bruxelles", "BE", "Europe/Brussels", "fr", "1000", NULL},
    {"Antwerpen", "BE", "Europe/Brussels", "nl", "2000", NULL},
    {"Gent", "BE", "Europe/Brussels", "nl", "9000", NULL},
    {"Liège", "BE", "Europe/Brussels", "fr", "4000", NULL},
    {"Charleroi", "BE", "Europe/Brussels", "fr", "6000", NULL},
    {"Brugge", "BE", "Europe/Brussels", "nl", "8000", NULL},
    {"Namur", "BE", "Europe/Brussels", "fr", "5000", NULL},
    {"Leuven", "BE", "Europe/Brussels", "nl", "3000", NULL},
    {"Mons", "BE", "Europe/Brussels", "fr", "7000", NULL},
    {"Hasselt", "BE", "Europe/Brussels", "nl", "3500", NULL},
    {"Kortrijk", "BE", "Europe/Brussels", "nl", "8500", NULL},
    {"Mechelen", "BE", "Europe/Brussels", "nl", "2800", NULL},
    {"Amsterdam", "NL", "Europe/Amsterdam", "nl", "1012 AB", NULL},
    {"Rotterdam", "NL", "Europe/Amsterdam", "nl", "3011 AD", NULL},
    {"Den Haag", "NL", "Europe/Amsterdam", "nl", "2511 CV", NULL},
    {"Utrecht", "NL", "Europe/Amsterdam", "nl", "3511 LX", NULL},
    {"Eindhoven", "NL", "Europe/Amsterdam", "nl", "5611 AZ", NULL},
    {"Groningen", "NL", "Europe/Amsterdam", "nl", "9711 LM", NULL},
    {"Tilburg", "NL", "Europe/Amsterdam", "nl", "5038 EA", NULL},
    {"Almere", "NL", "Europe/Amsterdam", "nl", "1315 HR", NULL},
    {"Breda", "NL", "Europe/Amsterdam", "nl", "4811 BN", NULL},
    {"Nijmegen", "NL", "Europe/Amsterdam", "nl", "6511 PP", NULL},
    {"Arnhem", "NL", "Europe/Amsterdam", "nl", "6811 DJ", NULL},
    {"Haarlem", "NL", "Europe/Amsterdam", "nl", "2011 RB", NULL},
    {"Zwolle", "NL", "Europe/Amsterdam", "nl", "8011 PK", NULL},
    {"Maastricht", "NL", "Europe/Amsterdam", "nl", "6211 CS", NULL},
    {"Leiden", "NL", "Europe/Amsterdam", "nl", "2311 EW", NULL},
    {"Luxembourg", "LU", "Europe/Luxembourg", "fr", "L-1611", NULL},
    {"Esch-sur-Alzette", "LU", "Europe/Luxembourg", "fr", "L-4002", NULL},
    {"Berlin", "DE", "Europe/Berlin", "de", "10115", "B"},
    {"Hamburg", "DE", "Europe/Berlin", "de", "20095", "HH"},
    {"München", "DE", "Europe/Berlin", "de", "80331", "M"},
    {"Köln", "DE", "Europe/Berlin", "de", "50667", "K"},
    {"Frankfurt am Main", "DE", "Europe/Berlin", "de", "60311", "F"},
    {"Stuttgart", "DE", "Europe/Berlin", "de", "70173", "S"},
    {"Düsseldorf", "DE", "Europe/Berlin", "de", "40213", "D"},
    {"Leipzig", "DE", "Europe/Berlin", "de", "04109", "L"},
    {"Dortmund", "DE", "Europe/Berlin", "de", "44135", "DO"},
    {"Essen", "DE", "Europe/Berlin", "de", "45127", "E"},
    {"Bremen", "DE", "Europe/Berlin", "de", "28195", "HB"},
    {"Dresden", "DE", "Europe/Berlin", "de", "01067", "DD"},
    {"Hannover", "DE", "Europe/Berlin", "de", "30159", "H"},
    {"Nürnberg", "DE", "Europe/Berlin", "de", "90402", "N"},
    {"Münster", "DE", "Europe/Berlin", "de", "48143", "MS"},
    {"Freiburg im Breisgau", "DE", "Europe/Berlin", "de", "79098", "FR"},
    {"Aachen", "DE", "Europe/Berlin", "de", "52062", "AC"},
    {"Mainz", "DE", "Europe/Berlin", "de", "55116", "MZ"},
    {"Würzburg", "DE", "Europe/Berlin", "de", "97070", "WÜ"},
    {"Lübeck", "DE", "Europe/Berlin", "de", "23552", "HL"},
    {"Wien", "AT", "Europe/Vienna", "de", "1010", "W"},
    {"Graz", "AT", "Europe/Vienna", "de", "8010", "G"},
    {"Linz", "AT", "Europe/Vienna", "de", "4020", "L"},
    {"Salzburg", "AT", "Europe/Vienna", "de", "5020", "S"},
    {"Innsbruck", "AT", "Europe/Vienna", "de", "6020", "I"},
    {"Zürich", "CH", "Europe/Zurich", "de", "8001", "ZH"},
    {"Genève", "CH", "Europe/Zurich", "fr", "1204", "GE"},
    {"Basel", "CH", "Europe/Zurich", "de", "4051", "BS"},
    {"Lausanne", "CH", "Europe/Zurich", "fr", "1003", "VD"},
    {"Bern", "CH", "Europe/Zurich", "de", "3011", "BE"},
    {"Roma", "IT", "Europe/Rome", "it", "00184", NULL},
    {"Milano", "IT", "Europe/Rome", "it", "20121", NULL},
    {"Napoli", "IT", "Europe/Rome", "it", "80133", NULL},
    {"Torino", "IT", "Europe/Rome", "it", "10121", NULL},
    {"Bologna", "IT", "Europe/Rome", "it", "40121", NULL},
    {"Firenze", "IT", "Europe/Rome", "it", "50122", NULL},
    {"Genova", "IT", "Europe/Rome", "it", "16121", NULL},
    {"Verona", "IT", "Europe/Rome", "it", "37121", NULL},
    {"Padova", "IT", "Europe/Rome", "it", "35122", NULL},
    {"Bari", "IT", "Europe/Rome", "it", "70121", NULL},
    {"Madrid", "ES", "Europe/Madrid", "es", "28013", NULL},
    {"Barcelona", "ES", "Europe/Madrid", "es", "08002", NULL},
    {"Valencia", "ES", "Europe/Madrid", "es", "46002", NULL},
    {"Sevilla", "ES", "Europe/Madrid", "es", "41004", NULL},
    {"Zaragoza", "ES", "Europe/Madrid", "es", "50001", NULL},
    {"Málaga", "ES", "Europe/Madrid", "es", "29005", NULL},
    {"Bilbao", "ES", "Europe/Madrid", "es", "48005", NULL},
    {"Alicante", "ES", "Europe/Madrid", "es", "03002", NULL},
    {"Córdoba", "ES", "Europe/Madrid", "es", "14003", NULL},
    {"Valladolid", "ES", "Europe/Madrid", "es", "47001", NULL},
    {"Warszawa", "PL", "Europe/Warsaw", "pl", "00-001", NULL},
    {"Kraków", "PL", "Europe/Warsaw", "pl", "31-001", NULL},
    {"Łódź", "PL", "Europe/Warsaw", "pl", "90-001", NULL},
    {"Wrocław", "PL", "Europe/Warsaw", "pl", "50-001", NULL},
    {"Poznań", "PL", "Europe/Warsaw", "pl", "60-001", NULL},
    {"Gdańsk", "PL", "Europe/Warsaw", "pl", "80-001", NULL},
    {"Szczecin", "PL", "Europe/Warsaw", "pl", "70-001", NULL},
    {"Lublin", "PL", "Europe/Warsaw", "pl", "20-001", NULL},
    {"Katowice", "PL", "Europe/Warsaw", "pl", "40-001", NULL},
    {"Białystok", "PL", "Europe/Warsaw", "pl", "15-001", NULL},
    {"Stockholm", "SE", "Europe/Stockholm", "sv", "111 20", NULL},
    {"Göteborg", "SE", "Europe/Stockholm", "sv", "411 05", NULL},
    {"Malmö", "SE", "Europe/Stockholm", "sv", "211 20", NULL},
    {"Uppsala", "SE", "Europe/Stockholm", "sv", "753 10", NULL},
    {"Västerås", "SE", "Europe/Stockholm", "sv", "722 11", NULL},
    {"Örebro", "SE", "Europe/Stockholm", "sv", "702 10", NULL},
    {"København", "DK", "Europe/Copenhagen", "da", "1050", NULL},
    {"Aarhus", "DK", "Europe/Copenhagen", "da", "8000", NULL},
    {"Odense", "DK", "Europe/Copenhagen", "da", "5000", NULL},
    {"Aalborg", "DK", "Europe/Copenhagen", "da", "9000", NULL},
    {"Oslo", "NO", "Europe/Oslo", "nb", "0150", NULL},
    {"Bergen", "NO", "Europe/Oslo", "nb", "5003", NULL},
    {"Trondheim", "NO", "Europe/Oslo", "nb", "7011", NULL},
    {"Stavanger", "NO", "Europe/Oslo", "nb", "4006", NULL},
    {"Helsinki", "FI", "Europe/Helsinki", "fi", "00100", NULL},
    {"Espoo", "FI", "Europe/Helsinki", "fi", "02100", NULL},
    {"Tampere", "FI", "Europe/Helsinki", "fi", "33100", NULL},
    {"Turku", "FI", "Europe/Helsinki", "fi", "20100", NULL},
    {"Oulu", "FI", "Europe/Helsinki", "fi", "90100", NULL},
    {"Montréal", "CA", "America/Montreal", "fr-CA", "H2X 1Y4", NULL},
    {"Laval", "CA", "America/Montreal", "fr-CA", "H7N 2R8", NULL},
    {"Longueuil", "CA", "America/Montreal", "fr-CA", "J4K 2T2", NULL},
    {"Sherbrooke", "CA", "America/Montreal", "fr-CA", "J1H 1Z1", NULL},
};
const int fc_seed_n_cities = (int)(sizeof fc_seed_cities / sizeof fc_seed_cities[0]);

/* Cars a European workshop sees; the weight is the share of the park. */
const fc_seed_model fc_seed_models[] = {
    {"WVW", {"Golf", "Polo", "Passat", "T-Roc", "ID.3", NULL}, 14},
    {"VF1", {"Clio", "Captur", "Mégane", "Austral", "Zoe", NULL}, 10},
    {"VF3", {"208", "308", "2008", "3008", "5008", NULL}, 10},
    {"VF7", {"C3", "C4", "C5 Aircross", "Berlingo", NULL}, 6},
    {"WAU", {"A3", "A4", "Q3", "Q5", NULL}, 6},
    {"WBA", {"Série 1", "3 Series", "X1", "X3", NULL}, 6},
    {"WDD", {"A-Klasse", "C-Klasse", "E-Klasse", "GLC", NULL}, 6},
    {"W0L", {"Corsa", "Astra", "Mokka", "Grandland", NULL}, 6},
    {"TMB", {"Octavia", "Fabia", "Kodiaq", "Superb", NULL}, 6},
    {"VSS", {"Ibiza", "León", "Arona", "Ateca", NULL}, 4},
    {"ZFA", {"500", "Panda", "Tipo", NULL}, 5},
    {"YV1", {"XC40", "XC60", "V60", "XC90", NULL}, 4},
    {"SB1", {"Corolla", "Auris", "Avensis", NULL}, 4},
    {"UU1", {"Sandero", "Duster", "Jogger", "Logan", NULL}, 5},
    {"TMA", {"i20", "i30", "Tucson", "Kona", NULL}, 3},
    {"U5Y", {"Ceed", "Sportage", "Niro", NULL}, 3},
    {"SJN", {"Qashqai", "Juke", "Micra", NULL}, 3},
    {"5YJ", {"Model 3", "Model Y", NULL}, 2},
    {"WF0", {"Fiesta", "Focus", "Kuga", "Puma", NULL}, 6},
};
const int fc_seed_n_models = (int)(sizeof fc_seed_models / sizeof fc_seed_models[0]);
