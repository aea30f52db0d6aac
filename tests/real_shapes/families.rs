//! The shape families: each builds files of one kind of leak, with its hard negatives.

use crate::generate::{Rng, BASE62};

/// One generated file: what must block, what must warn without blocking, and the text.
pub struct Shape {
    pub path: String,
    pub text: String,
    /// Secrets that must be reported high.
    pub blocks: Vec<String>,
    /// Secrets that must be reported medium or low.
    pub warns: Vec<String>,
}

/// Every family with its name, for counting and for the recall benchmark's corpus.
pub type Family = fn(&mut Rng) -> Vec<Shape>;
pub const ALL: &[(&str, Family)] = &[
    ("uri_userinfo", uri_userinfo),
    ("connection_strings", connection_strings),
    ("cli_flags", cli_flags),
    ("credential_calls", credential_calls),
    ("build_tools", build_tools),
    ("frameworks", frameworks),
    ("password_hashes", password_hashes),
    ("distinctive_tokens", distinctive_tokens),
    ("jwts", jwts),
    ("local_and_test", local_and_test),
    ("split_keys", crate::layers::split_keys),
    (
        "escaped_and_prefixed_keys",
        crate::layers::escaped_and_prefixed_keys,
    ),
    ("base64_wrapped", crate::layers::base64_wrapped),
    ("encoded_values", crate::encodings::encoded_values),
    ("blocks_and_heredocs", crate::encodings::blocks_and_heredocs),
    (
        "character_references",
        crate::encodings::character_references,
    ),
    ("base64_homes", crate::encodings::base64_homes),
];

/// Builds a file from lines; a line holding a secret is paired with it.
struct File {
    path: String,
    lines: Vec<String>,
    blocks: Vec<String>,
    warns: Vec<String>,
}

impl File {
    fn new(path: &str) -> File {
        File {
            path: path.to_string(),
            lines: Vec::new(),
            blocks: Vec::new(),
            warns: Vec::new(),
        }
    }
    fn blocks(&mut self, line: String, secret: String) -> &mut Self {
        self.lines.push(line);
        self.blocks.push(secret);
        self
    }
    fn warns(&mut self, line: String, secret: String) -> &mut Self {
        self.lines.push(line);
        self.warns.push(secret);
        self
    }
    fn line(&mut self, line: String) -> &mut Self {
        self.lines.push(line);
        self
    }
    fn shape(&mut self) -> Shape {
        Shape {
            path: self.path.clone(),
            text: self.lines.join("\n") + "\n",
            blocks: std::mem::take(&mut self.blocks),
            warns: std::mem::take(&mut self.warns),
        }
    }
}

/// Hard negatives that sit in any file: random-looking but not credentials.
fn common_negatives(rng: &mut Rng, file: &mut File, wrap: &dyn Fn(&str) -> String) {
    let negatives = [
        rng.uuid(),
        rng.sha256_hex(),
        rng.integrity(),
        "AKIAIOSFODNN7EXAMPLE".to_string(),
        "https://github.com/acme/app.git".to_string(),
    ];
    for value in negatives {
        file.line(wrap(&value));
    }
}

/// Source and config files a value can be written into: path and a line template.
const CONTEXTS: &[(&str, &str, &str)] = &[
    (".env", "DATABASE_URL=", ""),
    ("config/app.yml", "  url: \"", "\""),
    ("config/app.json", "  \"url\": \"", "\","),
    ("app/db.py", "engine = create_engine(\"", "\")"),
    (
        "src/db.js",
        "const pool = new Pool({ connectionString: '",
        "' });",
    ),
    ("src/db.ts", "export const url = `", "`;"),
    ("cmd/main.go", "db, err := sql.Open(\"driver\", \"", "\")"),
    ("src/Main.java", "String url = \"", "\";"),
    ("src/App.cs", "var url = \"", "\";"),
    ("lib/db.rb", "DB = Sequel.connect('", "')"),
    ("web/index.php", "$url = '", "';"),
    ("deploy/run.sh", "export DATABASE_URL='", "'"),
    ("Dockerfile", "ENV DATABASE_URL=", ""),
    ("infra/main.tf", "  url = \"", "\""),
    ("conf/settings.toml", "url = \"", "\""),
    ("src/main.rs", "let url = \"", "\";"),
    ("conf/app.ini", "url = ", ""),
    ("src/Main.kt", "val url = \"", "\""),
];

fn wrap_in<'a>(context: &(&'a str, &'a str, &'a str)) -> impl Fn(&str) -> String + 'a {
    let (_, before, after) = *context;
    move |value: &str| format!("{before}{value}{after}")
}

pub fn uri_userinfo(rng: &mut Rng) -> Vec<Shape> {
    let forms: &[&str] = &[
        "postgres://{U}:{P}@{H}:5432/app",
        "postgresql://{U}:{P}@{H}/app",
        "postgresql+psycopg2://{U}:{P}@{H}/app",
        "mysql://{U}:{P}@{H}:3306/shop",
        "mysql+pymysql://{U}:{P}@{H}/shop",
        "mariadb://{U}:{P}@{H}/shop",
        "mongodb://{U}:{P}@{H}:27017/admin",
        "mongodb+srv://{U}:{P}@{H}/prod?retryWrites=true",
        "redis://{U}:{P}@{H}:6379/0",
        "rediss://:{P}@{H}:6380",
        "amqp://{U}:{P}@{H}:5672/jobs",
        "amqps://{U}:{P}@{H}/jobs",
        "ldap://{U}:{P}@{H}:389",
        "ldaps://{U}:{P}@{H}",
        "ftp://{U}:{P}@{H}/pub",
        "sftp://{U}:{P}@{H}/upload",
        "smtp://{U}:{P}@{H}:587",
        "smtps://{U}:{P}@{H}:465",
        "http://{U}:{P}@{H}/",
        "https://{U}:{P}@{H}/team/repo.git",
        "sqlserver://{U}:{P}@{H}:1433",
        "jdbc:postgresql://{H}:5432/app?user={U}&password={P}",
        "jdbc:mysql://{H}/shop?user={U}&password={P}&useSSL=true",
        "jdbc:sqlserver://{H}:1433;databaseName=app;user={U};password={P}",
        "jdbc:oracle:thin:{U}/{P}@{H}:1521/ORCL",
    ];
    let negatives: &[&str] = &[
        "postgres://app:${DB_PASSWORD}@{H}/app",
        "mysql://app:$MYSQL_PASSWORD@{H}/shop",
        "mongodb+srv://<user>:<password>@{H}/prod",
        "redis://:password@{H}:6379",
        "amqp://guest:guest@{H}:5672",
        "https://user:pass@{H}/",
        "postgresql://app:%(password)s@{H}/app",
        "https://x-access-token:{{ secrets.token }}@{H}/repo.git",
    ];
    let mut shapes = Vec::new();
    for context in CONTEXTS {
        let wrap = wrap_in(context);
        let mut file = File::new(context.0);
        for form in forms {
            let password = rng.password();
            let uri = form
                .replace("{U}", &rng.user())
                .replace("{P}", &password)
                .replace("{H}", &rng.host());
            file.blocks(wrap(&uri), password);
        }
        for form in negatives {
            file.line(wrap(&form.replace("{H}", &rng.host())));
        }
        common_negatives(rng, &mut file, &wrap);
        shapes.push(file.shape());
    }
    shapes
}

pub fn connection_strings(rng: &mut Rng) -> Vec<Shape> {
    let forms: &[&str] = &[
        "Server=tcp:{H},1433;Database=app;User ID={U};Password={P};Encrypt=True;",
        "Data Source={H};Initial Catalog=shop;User Id={U};Password={P};",
        "Driver={ODBC Driver 18 for SQL Server};Server={H};Uid={U};Pwd={P};",
        "Host={H};Port=5432;Username={U};Password={P};Database=app",
        "Server={H};Port=3306;Database=shop;Uid={U};Pwd={P};",
    ];
    let negatives: &[&str] = &[
        "Server={H};Database=app;User Id=sa;Password={0};",
        "Server={H};Database=app;User Id=sa;Password=$(DbPassword);",
        "Server={H};Database=app;User Id=sa;Password=%DB_PASSWORD%;",
        "Server={H};Database=app;Integrated Security=SSPI;",
        "Server={H};Database=app;User Id=sa;Password=<password>;",
    ];
    let contexts: &[(&str, &str, &str)] = &[
        ("src/Data/Db.cs", "var cs = \"", "\";"),
        ("appsettings.json", "    \"Default\": \"", "\","),
        (
            "web.config",
            "    <add name=\"db\" connectionString=\"",
            "\" />",
        ),
        ("app/db.py", "CONN = \"", "\""),
        ("src/Db.java", "static final String CS = \"", "\";"),
        ("deploy/setup.ps1", "$cs = '", "'"),
        ("config/db.yaml", "connection: \"", "\""),
    ];
    let mut shapes = Vec::new();
    for context in contexts {
        let wrap = wrap_in(context);
        let mut file = File::new(context.0);
        for form in forms {
            let password = rng.password();
            let text = form
                .replace("{U}", &rng.user())
                .replace("{P}", &password)
                .replace("{H}", &rng.host());
            file.blocks(wrap(&text), password);
        }
        for form in negatives {
            file.line(wrap(&form.replace("{H}", &rng.host())));
        }
        common_negatives(rng, &mut file, &wrap);
        shapes.push(file.shape());
    }
    shapes
}

pub fn cli_flags(rng: &mut Rng) -> Vec<Shape> {
    let unix: &[&str] = &[
        "mysql -h {H} -u {U} -p{P} shop",
        "mysqldump --host={H} --user={U} --password={P} --all-databases",
        "PGPASSWORD={P} pg_dump -h {H} -U {U} app",
        "PGPASSWORD='{P}' psql -h {H} -U {U}",
        "mongosh --host {H} -u {U} -p {P} --authenticationDatabase admin",
        "mongodump --username {U} --password {P} --out /backup",
        "redis-cli -h {H} -a {P} ping",
        "sshpass -p '{P}' ssh {U}@{H} uptime",
        "docker login -u {U} -p {P} {H}",
        "podman login --username {U} --password={P} {H}",
        "helm repo add internal https://{H}/charts --username {U} --password {P}",
        "curl -u {U}:{P} https://{H}/api/upload",
        "curl --user \"{U}:{P}\" https://{H}/api",
        "wget --user={U} --password={P} https://{H}/build.tgz",
        "htpasswd -bc /etc/nginx/.htpasswd {U} {P}",
        "sqlcmd -S {H} -U {U} -P {P} -Q \"SELECT 1\"",
    ];
    let negatives: &[&str] = &[
        "mysql -h {H} -u {U} -p$MYSQL_PASSWORD shop",
        "mysql -h {H} -u root -p shop",
        "PGPASSWORD=$PGPASS psql -h {H}",
        "sshpass -e ssh deploy@{H}",
        "echo \"$PW\" | docker login -u ci --password-stdin {H}",
        "curl -u deploy:$TOKEN https://{H}/api",
        "redis-cli -h {H} -a \"$REDIS_PASSWORD\" ping",
        "sqlcmd -S {H} -E -Q \"SELECT 1\"",
        "wget --ask-password https://{H}/f.tgz",
    ];
    let contexts: &[(&str, &str, &str)] = &[
        ("scripts/backup.sh", "", ""),
        ("Dockerfile", "RUN ", ""),
        (".github/workflows/deploy.yml", "        run: ", ""),
        ("Makefile", "\t", ""),
        ("ci/Jenkinsfile", "sh '''", "'''"),
    ];
    let mut shapes = Vec::new();
    for context in contexts {
        let wrap = wrap_in(context);
        let mut file = File::new(context.0);
        for form in unix {
            let password = rng.password();
            let line = form
                .replace("{U}", &rng.user())
                .replace("{P}", &password)
                .replace("{H}", &rng.host());
            file.blocks(wrap(&line), password);
        }
        for form in negatives {
            file.line(wrap(&form.replace("{H}", &rng.host())));
        }
        shapes.push(file.shape());
    }
    let mut ps = File::new("deploy/setup.ps1");
    let windows: &[&str] = &[
        "$pw = ConvertTo-SecureString \"{P}\" -AsPlainText -Force",
        "$pw = ConvertTo-SecureString -String '{P}' -AsPlainText -Force",
        "Connect-VIServer -Server {H} -User {U} -Password \"{P}\"",
        "net use Z: \\\\{H}\\backup /user:ACME\\{U} {P}",
        "sqlcmd -S {H} -U {U} -P {P} -i migrate.sql",
    ];
    for form in windows {
        let password = rng.password();
        let line = form
            .replace("{U}", &rng.user())
            .replace("{P}", &password)
            .replace("{H}", &rng.host());
        ps.blocks(line, password);
    }
    ps.line("$pw = ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force".into());
    ps.line("Connect-VIServer -Server vc01 -User ops -Password $pw".into());
    ps.line("net use Z: \\\\files01\\backup /user:ACME\\svc *".into());
    shapes.push(ps.shape());
    shapes
}

pub fn credential_calls(rng: &mut Rng) -> Vec<Shape> {
    let forms: &[(&str, &[&str], &[&str])] = &[
        (
            "src/Mailer.cs",
            &[
                "client.Credentials = new NetworkCredential(\"{U}\", \"{P}\");",
                "using var conn = new SqlConnection(\"Server={H};Database=app;User Id={U};Password={P};\");",
            ],
            &["client.Credentials = new NetworkCredential(user, password);"],
        ),
        (
            "src/main/java/Repo.java",
            &[
                "Connection c = DriverManager.getConnection(\"jdbc:postgresql://{H}/app\", \"{U}\", \"{P}\");",
                "return new PasswordAuthentication(\"{U}\", \"{P}\".toCharArray());",
            ],
            &["Connection c = DriverManager.getConnection(url, user, System.getenv(\"DB_PW\"));"],
        ),
        (
            "app/clients.py",
            &[
                "conn = psycopg2.connect(host=\"{H}\", user=\"{U}\", password=\"{P}\")",
                "db = pymysql.connect(host='{H}', user='{U}', password='{P}', db='shop')",
                "r = requests.get(url, auth=HTTPBasicAuth(\"{U}\", \"{P}\"))",
                "r = requests.post(url, auth=(\"{U}\", \"{P}\"))",
                "client = MongoClient(host=\"{H}\", username=\"{U}\", password=\"{P}\")",
            ],
            &[
                "conn = psycopg2.connect(host=host, user=user, password=password)",
                "r = requests.post(url, auth=(user, os.environ[\"PW\"]))",
                "conn = psycopg2.connect(password=os.environ['DB_PASSWORD'])",
            ],
        ),
        (
            "internal/store/db.go",
            &[
                "db, err := sql.Open(\"mysql\", \"{U}:{P}@tcp({H}:3306)/shop?parseTime=true\")",
                "auth := smtp.PlainAuth(\"\", \"{U}\", \"{P}\", \"{H}\")",
            ],
            &[
                "dsn := fmt.Sprintf(\"%s:%s@tcp(%s)/%s\", user, pass, host, name)",
                "auth := smtp.PlainAuth(\"\", user, os.Getenv(\"SMTP_PASSWORD\"), host)",
            ],
        ),
        (
            "src/db.js",
            &[
                "const client = new Client({ host: '{H}', user: '{U}', password: '{P}' });",
                "const conn = mysql.createConnection({ host: \"{H}\", user: \"{U}\", password: \"{P}\" });",
            ],
            &["const client = new Client({ password: process.env.PGPASSWORD });"],
        ),
        (
            "src/pool.ts",
            &["export const pool = new Pool({\n  host: '{H}',\n  user: '{U}',\n  password: '{P}',\n});"],
            &["export const other = new Pool({ password: config.dbPassword });"],
        ),
        (
            "lib/mailer.rb",
            &[
                "Net::SMTP.start('{H}', 587, 'acme.io', '{U}', '{P}', :login) do |smtp|",
                "ActiveRecord::Base.establish_connection(adapter: 'mysql2', host: '{H}', password: '{P}')",
            ],
            &["Net::SMTP.start('{H}', 587, 'acme.io', user, pass, :login)"],
        ),
        (
            "web/db.php",
            &[
                "$db = new PDO('mysql:host={H};dbname=shop', '{U}', '{P}');",
                "$link = mysqli_connect('{H}', '{U}', '{P}', 'shop');",
            ],
            &["$db = new PDO($dsn, $user, $pass);", "$link = mysqli_connect($host, 'web', getenv('DB_PW'));"],
        ),
    ];
    let mut shapes = Vec::new();
    for (path, positives, negatives) in forms {
        let mut file = File::new(path);
        for form in positives.iter() {
            let password = rng.password();
            let line = form
                .replace("{U}", &rng.user())
                .replace("{P}", &password)
                .replace("{H}", &rng.host());
            file.blocks(line, password);
        }
        for form in negatives.iter() {
            file.line(form.replace("{H}", &rng.host()));
        }
        shapes.push(file.shape());
    }
    shapes
}

pub fn build_tools(rng: &mut Rng) -> Vec<Shape> {
    let b64 = |text: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(text)
    };
    let mut shapes = Vec::new();
    let p = rng.password();
    let mut file = File::new("build.gradle");
    file.blocks(
        format!("maven {{\n    url 'https://{}/releases'\n    credentials {{\n        username 'ci'\n        password '{p}'\n    }}\n}}", rng.host()),
        p,
    )
    .line("maven {\n    credentials {\n        username nexusUser\n        password nexusPassword\n    }\n}".into());
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("settings.gradle.kts");
    file.blocks(
        format!("credentials {{\n    username = \"ci\"\n    password = \"{p}\"\n}}"),
        p,
    )
    .line(
        "credentials {\n    password = providers.gradleProperty(\"repoPassword\").get()\n}".into(),
    );
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new(".m2/settings.xml");
    file.blocks(
        format!("<servers>\n  <server>\n    <id>nexus</id>\n    <username>deployer</username>\n    <password>{p}</password>\n  </server>"),
        p,
    )
    .line("  <server>\n    <id>env</id>\n    <password>${env.NEXUS_PASSWORD}</password>\n  </server>\n</servers>".into());
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("NuGet.Config");
    file.blocks(
        format!("<add key=\"ClearTextPassword\" value=\"{p}\" />"),
        p,
    )
    .line("<add key=\"ClearTextPassword\" value=\"%NUGET_PASSWORD%\" />".into());
    shapes.push(file.shape());
    let token = rng.string(BASE62, 36);
    let auth = b64(&format!("ci:{}", rng.password()));
    let mut file = File::new(".npmrc");
    file.blocks(format!("//{}/:_authToken={token}", rng.host()), token)
        .blocks(format!("_auth={auth}"), auth)
        .line("//registry.npmjs.org/:_authToken=${NPM_TOKEN}".into());
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("home/.pypirc");
    file.line("[internal]".into())
        .line("username = ci".into())
        .blocks(format!("password = {p}"), p)
        .line("[pypi]\nusername = __token__\npassword = ${PYPI_TOKEN}".into());
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("requirements.txt");
    file.blocks(
        format!("--index-url https://ci:{p}@{}/simple/", rng.host()),
        p,
    )
    .line("--extra-index-url https://${PIP_USER}:${PIP_PASSWORD}@pypi.acme.io/simple/".into());
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("auth.json");
    file.blocks(
        format!("{{\n  \"http-basic\": {{\n    \"{}\": {{\n      \"username\": \"ci\",\n      \"password\": \"{p}\"\n    }}\n  }}\n}}", rng.host()),
        p,
    );
    shapes.push(file.shape());
    let token = rng.string(BASE62, 32);
    let mut file = File::new(".cargo/credentials.toml");
    file.blocks(format!("[registries.internal]\ntoken = \"{token}\""), token)
        .line("[registry]\ntoken = \"${CARGO_TOKEN}\"".into());
    shapes.push(file.shape());
    let token = format!("{}.tfe.{}", rng.string(BASE62, 14), rng.string(BASE62, 40));
    let mut file = File::new("home/.terraformrc");
    file.blocks(
        format!(
            "credentials \"{}\" {{\n  token = \"{token}\"\n}}",
            rng.host()
        ),
        token,
    );
    shapes.push(file.shape());
    shapes
}

pub fn frameworks(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let cases: &[(&str, &str, &str)] = &[
        (
            "src/main/resources/application.properties",
            "spring.datasource.password={P}",
            "spring.datasource.password=${DB_PASSWORD}",
        ),
        (
            "src/main/resources/application-prod.yml",
            "spring:\n  datasource:\n    password: {P}",
            "spring:\n  mail:\n    password: ${MAIL_PASSWORD}",
        ),
        (
            "shop/settings.py",
            "DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.postgresql',\n        'PASSWORD': '{P}',\n    }\n}",
            "CACHES = {'default': {'PASSWORD': os.environ['REDIS_PASSWORD']}}",
        ),
        (
            "config/database.yml",
            "production:\n  adapter: postgresql\n  password: {P}",
            "staging:\n  password: <%= ENV['DATABASE_PASSWORD'] %>",
        ),
        (".env", "DB_PASSWORD={P}", "MAIL_PASSWORD=\nREDIS_PASSWORD=${REDIS_PASSWORD}"),
        (
            "wp-config.php",
            "define( 'DB_PASSWORD', '{P}' );",
            "define( 'DB_HOST', getenv('WORDPRESS_DB_HOST') );",
        ),
        (
            "deploy/wp-settings.php",
            "define('DB_PASSWORD', '{P}');",
            "define('DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD'));",
        ),
    ];
    for (path, positive, negative) in cases {
        for _ in 0..3 {
            let p = rng.password();
            let mut file = File::new(path);
            file.blocks(positive.replace("{P}", &p), p)
                .line(negative.to_string());
            shapes.push(file.shape());
        }
    }
    shapes
}

pub fn password_hashes(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    for _ in 0..2 {
        let mut file = File::new("site/.htpasswd");
        let (a, b) = (rng.bcrypt(), rng.md5_crypt("apr1"));
        file.blocks(format!("admin:{a}"), a)
            .blocks(format!("ops:{b}"), b);
        shapes.push(file.shape());
        let mut file = File::new("rootfs/etc/shadow");
        let (a, b) = (rng.sha512_crypt(), rng.yescrypt());
        file.blocks(format!("root:{a}:19700:0:99999:7:::"), a)
            .blocks(format!("deploy:{b}:19700:0:99999:7:::"), b)
            .line("daemon:*:19700:0:99999:7:::".into());
        shapes.push(file.shape());
        let mut file = File::new("backup/users.txt");
        let a = rng.bcrypt();
        file.blocks(format!("ci:{a}"), a);
        shapes.push(file.shape());
        let mut file = File::new("config/users.yml");
        let (a, b, c) = (rng.argon2(), rng.bcrypt(), rng.django_pbkdf2());
        file.blocks(format!("  password_hash: \"{a}\""), a)
            .blocks(format!("  admin_password: '{b}'"), b)
            .blocks(format!("  passwordHash: {c}"), c)
            .line("  password_hash: \"$2b$%d$%s\"".into());
        shapes.push(file.shape());
        let mut file = File::new("app/models.py");
        let (a, b, c) = (rng.werkzeug_pbkdf2(), rng.bcrypt(), rng.argon2());
        // In code a hash is data more often than a credential: it warns.
        file.warns(format!("hashed_password = '{a}'"), a)
            .warns(format!("STORED = \"{b}\""), b)
            .warns(format!("reference = \"{c}\""), c)
            .line(format!("integrity = \"{}\"", rng.integrity()))
            .line(format!("digest = \"{}\"", rng.sha256_hex()));
        shapes.push(file.shape());
        let mut file = File::new("conf/app.ini");
        let a = rng.werkzeug_pbkdf2();
        file.blocks(format!("admin_password_hash = {a}"), a);
        shapes.push(file.shape());
        let mut file = File::new("directory/users.ldif");
        let a = rng.ldap_ssha();
        file.line("dn: uid=ops,ou=people,dc=acme,dc=io".into())
            .blocks(format!("userPassword: {a}"), a);
        shapes.push(file.shape());
        let mut file = File::new("net/router.cfg");
        let a = rng.cisco9();
        file.blocks(format!("enable secret 9 {a}"), a)
            .line("enable secret 0 <password>".into());
        shapes.push(file.shape());
        let mut file = File::new("loot/hashes.txt");
        let nt = rng.string(crate::generate::HEX, 32);
        file.blocks(
            format!("Administrator:500:aad3b435b51404eeaad3b435b51404ee:{nt}:::"),
            nt,
        )
        .line(
            "Guest:501:aad3b435b51404eeaad3b435b51404ee:31d6cfe0d16ae931b73c59d7e0c089c0:::".into(),
        );
        shapes.push(file.shape());
        let mut file = File::new("db/roles.sql");
        let mysql = format!("*{}", rng.string(b"0123456789ABCDEF", 40));
        let md5 = format!("md5{}", rng.string(crate::generate::HEX, 32));
        let scram = rng.scram();
        file.blocks(
            format!("CREATE USER 'app'@'%' IDENTIFIED WITH mysql_native_password AS '{mysql}';"),
            mysql,
        )
        .blocks(format!("ALTER ROLE app WITH LOGIN PASSWORD '{md5}';"), md5)
        .warns(
            format!("ALTER ROLE api WITH LOGIN PASSWORD '{scram}';"),
            scram,
        );
        shapes.push(file.shape());
    }
    shapes
}

pub fn distinctive_tokens(rng: &mut Rng) -> Vec<Shape> {
    let contexts: &[(&str, &str, &str)] = &[
        ("app/call.py", "client = Client(\"", "\")"),
        ("app/dict.py", "CONFIG = {\"value\": \"", "\"}"),
        ("scripts/flag.sh", "tool sync --key ", " --verbose"),
        (
            "src/url.js",
            "fetch(\"https://api.acme.io/hook?k=",
            "&v=2\")",
        ),
        (
            "scripts/header.sh",
            "curl -H \"X-Auth: ",
            "\" https://api.acme.io",
        ),
        ("src/comment.go", "// previous value: ", ""),
        ("notes/staging.txt", "use ", " for the staging sync"),
    ];
    let mut shapes = Vec::new();
    for context in contexts {
        let wrap = wrap_in(context);
        let mut file = File::new(context.0);
        let tokens = [
            rng.telegram_token(),
            rng.vault_token(),
            rng.age_key(),
            rng.slack_bot_token(),
            rng.github_token(),
            rng.npm_token(),
            rng.nuget_key(),
        ];
        for token in tokens {
            file.blocks(wrap(&token), token);
        }
        common_negatives(rng, &mut file, &wrap);
        shapes.push(file.shape());
    }
    let mut file = File::new("bot/main.py");
    for line in [
        "bot.run(\"{T}\")",
        "headers = {\"Authorization\": \"Bot {T}\"}",
        "# discord: {T}",
    ] {
        let token = rng.discord_token();
        file.blocks(line.replace("{T}", &token), token);
    }
    shapes.push(file.shape());
    shapes
}

pub fn jwts(rng: &mut Rng) -> Vec<Shape> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    let contexts: &[(&str, &str, &str)] = &[
        ("requests.http", "Authorization: Bearer ", ""),
        ("src/session.js", "const token = \"", "\";"),
        ("app/client.py", "TOKEN = '", "'"),
    ];
    let mut shapes = Vec::new();
    for context in contexts {
        let wrap = wrap_in(context);
        let mut file = File::new(context.0);
        let live = [
            rng.jwt("HS256", now + 86_400),
            rng.jwt("RS256", now + 3_600),
        ];
        for token in live {
            file.blocks(wrap(&token), token);
        }
        let expired = rng.jwt("RS256", now - 3_600);
        file.warns(wrap(&expired), expired);
        shapes.push(file.shape());
    }
    shapes
}

pub fn local_and_test(rng: &mut Rng) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let p = rng.password();
    // A test path and a local host agree: test data, not reported by default (the
    // evidence stage, issue 18); it must never block.
    let mut file = File::new("tests/integration/test_db.py");
    file.line(format!(
        "DATABASE_URL = \"postgresql://app:{p}@localhost:5432/app_test\""
    ));
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("docker-compose.yml");
    file.warns(
        format!("      DATABASE_URL: mysql://app:{p}@127.0.0.1:3306/shop"),
        p,
    );
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new(".env");
    file.blocks(format!("DATABASE_URL=postgres://app:{p}@localhost/app"), p);
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("README.md");
    file.warns(
        format!(
            "    engine = create_engine(\"postgresql://app:{p}@{}/app\")",
            rng.host()
        ),
        p,
    );
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("docs/setup/cli.txt");
    file.warns(format!("    mysql -h {} -u app -p{p} shop", rng.host()), p);
    shapes.push(file.shape());
    let token = rng.github_token();
    let mut file = File::new("docs/setup/ci.md");
    file.blocks(format!("export GITHUB_TOKEN={token}"), token);
    shapes.push(file.shape());
    // A hash asserted in a test is test data (two signals agree: not reported); a hash with
    // only its test path as evidence warns.
    let (asserted, stored) = (rng.bcrypt(), rng.bcrypt());
    let mut file = File::new("tests/test_hashers.py");
    file.line(format!("    assert check(\"{asserted}\")"))
        .warns(format!("STORED = \"{stored}\""), stored);
    shapes.push(file.shape());
    let p = rng.password();
    let mut file = File::new("tests/conf/settings.py");
    file.warns(
        format!("REDIS_URL = \"redis://:{p}@{}:6379/0\"", rng.host()),
        p,
    );
    shapes.push(file.shape());
    shapes
}
