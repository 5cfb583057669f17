package gen

// Word lists for synthetic records. Every email address uses an example.*
// domain and every phone number a 555-01xx line or a reserved drama range,
// so demo data can never reach a real person.

var firstNames = []string{
	"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
	"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
	"Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy",
	"Anthony", "Sandra", "Mark", "Ashley", "Steven", "Emily", "Andrew", "Michelle",
	"Kevin", "Amanda", "Brian", "Melissa", "Jane", "Laura", "Aisha", "Omar",
	"Priya", "Raj", "Wei", "Mei", "Hiroshi", "Yuki", "Carlos", "Lucia",
	"Diego", "Sofia", "Kwame", "Amara", "Ivan", "Olga", "Liam", "Noah",
}

// accentedFirst are names whose correct spelling needs more than ASCII.
var accentedFirst = []string{
	"José", "Zoë", "Björn", "Chloé", "Renée", "François", "Łukasz", "Søren",
	"Anaïs", "Ngọc", "Müge", "Jürgen", "Inés", "Ægir", "Dóra", "Siân",
}

var lastNames = []string{
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
	"Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White",
	"Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
	"Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
	"Doe", "Patel", "Khan", "Chen", "Wang", "Kim", "Nguyen", "Lopez",
	"Gonzalez", "Rivera", "Okafor", "Mensah", "Ivanov", "Petrova", "Murphy", "Kelly",
	"O'Brien", "Van der Berg", "St. John", "Smith-Jones",
}

var accentedLast = []string{
	"Müller", "García", "Nguyễn", "Dvořák", "Søndergaard", "Lefèvre", "Öztürk",
	"Ångström", "Gonçalves", "Wałęsa", "Ibáñez", "Šimić",
}

// cjkNames are {first, last} pairs written in their own scripts.
var cjkNames = [][2]string{
	{"伟", "王"}, {"娜", "李"}, {"太郎", "山田"}, {"花子", "佐藤"}, {"민준", "김"}, {"서연", "박"},
}

// emojiNames are names people really type into forms.
var emojiNames = [][2]string{
	{"Sunny ☀️", "Day"}, {"Jay 🚀", "Moon"}, {"Rosa 🌹", "Flores"}, {"🐝 Bea", "Keeper"},
}

// hostileStrings carry terminal escapes and control characters; a renderer
// that prints them raw recolours or rewrites the user's terminal.
var hostileStrings = []string{
	"\x1b[31mMallory\x1b[0m",
	"Eve\r\nBcc: mallory@example.com",
	"Trudy\x07\x08\x08\x08",
	"Oscar\x1b]0;pwned\x07",
	"Null\x00Byte",
}

var relationships = []string{
	"Mother", "Father", "Sister", "Brother", "Spouse", "Partner", "Friend",
	"Son", "Daughter", "Aunt", "Coworker", "",
}

var streetNames = []string{
	"Maple", "Oak", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill",
	"Park", "Main", "Sunset", "River", "Highland", "Chestnut", "Willow", "Spring",
	"Mill", "Church", "Forest", "Meadow", "Ridge", "Harbor", "Franklin", "Lincoln",
}

var streetSuffixes = []string{"St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way", "Street", "Avenue"}

var complexNames = []string{"Apartments", "Court", "Commons", "Terrace", "Place", "Lofts", "Gardens", "Residences"}

type city struct{ name, state, zip, country string }

var usCities = []city{
	{"Springfield", "IL", "627", "UnitedStates"}, {"Austin", "TX", "787", "UnitedStates"},
	{"Portland", "OR", "972", "UnitedStates"}, {"Denver", "CO", "802", "UnitedStates"},
	{"Columbus", "OH", "432", "UnitedStates"}, {"Raleigh", "NC", "276", "UnitedStates"},
	{"Boston", "MA", "021", "UnitedStates"}, {"Tampa", "FL", "336", "UnitedStates"},
	{"Madison", "WI", "537", "UnitedStates"}, {"Phoenix", "AZ", "850", "UnitedStates"},
	{"Seattle", "WA", "981", "UnitedStates"}, {"Atlanta", "GA", "303", "UnitedStates"},
}

var caCities = []city{
	{"Toronto", "ON", "M5V", "Canada"}, {"Vancouver", "BC", "V6B", "Canada"},
}

var areaCodes = []string{
	"201", "202", "203", "205", "206", "207", "208", "212", "213", "214", "215", "216",
	"217", "218", "219", "224", "225", "228", "229", "231", "234", "239", "240", "248",
	"251", "252", "253", "254", "256", "260", "262", "267", "269", "270", "276", "281",
	"301", "302", "303", "304", "305", "307", "308", "309", "310", "312", "313", "314",
	"315", "316", "317", "318", "319", "320", "321", "323", "330", "334", "336", "337",
	"401", "402", "404", "405", "406", "407", "408", "409", "410", "412", "413", "414",
	"415", "417", "419", "423", "425", "432", "434", "435", "440", "443", "469", "478",
	"503", "504", "505", "507", "508", "509", "510", "512", "513", "515", "516", "517",
	"602", "603", "605", "606", "607", "608", "609", "610", "612", "614", "615", "616",
	"702", "703", "704", "706", "707", "708", "712", "713", "714", "715", "716", "717",
	"801", "802", "803", "804", "805", "806", "808", "810", "812", "813", "814", "815",
	"901", "903", "904", "906", "907", "908", "909", "910", "912", "913", "914", "915",
}

var emailDomains = []string{"example.com", "example.net", "example.org", "mail.example.com"}

var comments = []string{
	"Prefers text messages.", "Has a dog (approved).", "Works nights; call after 2pm.",
	"Parking spot 14.", "Autopay enrolled.", "Spanish speaker.", "Renters insurance on file.",
}

var structureDescriptions = []string{
	"Brick walk-up, renovated 2019.", "Garden-style complex with on-site laundry.",
	"Detached single-family home with yard.", "Mid-rise with elevator and parking garage.",
	"Townhome community.", "",
}

var unitDescriptions = []string{
	"Corner unit, lots of light.", "Renovated kitchen.", "Ground floor, patio.",
	"Top floor, city view.", "Hardwood floors throughout.", "",
}

// invalidEmails are addresses HubSpot (and any sane validator) rejects.
var invalidEmails = []string{"jane@", "no-at-sign.com", "a@@example.com", "first last@example.com", "bob@example"}

// oddPhones render a 555-01xx line in a format other than (AAA) 555-01xx.
var oddPhoneFormats = []string{"%[1]s.555.%[2]s", "+1 %[1]s 555 %[2]s", "(%[1]s) 555-%[2]s ext 12", "%[1]s555%[2]s", "1-%[1]s-555-%[2]s x204"}

// foreignPhones are in ranges reserved for fiction.
var foreignPhones = []string{"+44 20 7946 0958", "+44 161 496 0123", "+61 2 5550 1234"}

var garbagePhones = []string{"call me", "n/a", "?", "ask at office"}

// features and included are the amenity enums (RentalFeaturesMessage).
var features = []string{
	"LaundryRoom", "WheelchairAccess", "Elevator", "Parking", "StorageUnits", "Pool",
	"FitnessCenter", "ClubHouse", "Garage", "Gate", "OnSiteMaintenance", "PackageReceiving",
	"PlayGround", "Recycling", "SmokeFree", "WirelessInternet", "HighSpeedInternet",
}

var included = []string{"Gas", "Electric", "Trash", "Water", "HotWater", "Heat", "Sewer", "BroadbandInternet"}

var bedrooms = []string{"Studio", "OneBed", "TwoBed", "ThreeBed", "FourBed", "FiveBed"}

var bathrooms = []string{"OneBath", "OnePointFiveBath", "TwoBath", "TwoPointFiveBath", "ThreeBath"}

var smsStatuses = []string{"NotSet", "RequestSent", "OptedIn", "OptedOut", "Converted"}
