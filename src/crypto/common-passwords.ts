/**
 * A bundled list of common and breached passwords, for the NIST SP 800-63B §3.1.1.2 check that
 * a new password is not "commonly-used, expected, or compromised". Drawn from the top of public
 * breach-frequency lists (RockYou, the NCSC/Have I Been Pwned top passwords, yearly top-password
 * lists), with common words, names and keyboard walks that those lists are full of, including
 * the 12+ character ones that pass a length rule ("qwertyuiop123", "passwordpassword").
 *
 * Lower-case; compared case-insensitively. password-policy.ts also refuses these padded with
 * digits or symbols, repeated, or in simple leetspeak, so the list need not spell every variant.
 * Data only: whitespace-separated, so one word per token.
 */
const LIST = String.raw`
123456 password 123456789 12345678 12345 qwerty 1234567 111111 1234567890 123123 abc123 1234
password1 iloveyou 1q2w3e4r 000000 qwerty123 zaq12wsx dragon sunshine princess letmein 654321 monkey
1qaz2wsx 123321 qwertyuiop superman asdfghjkl trustno1 football baseball welcome admin administrator
master shadow michael jennifer hunter hunter2 jordan jordan23 harley ranger buster thomas tigger
robert soccer batman test test123 pass pass123 passw0rd p@ssw0rd p@ssword pa$$word killer hockey
george charlie andrew michelle love jessica pepper daniel access joshua maggie starwars silver
william dallas yankees hello amanda orange ashley nicole chelsea biteme matthew freedom ginger
blahblah computer cheese summer corvette taylor fuckyou fuckoff austin merlin mercedes whatever
secret 121212 flower jasmine lovely loveme liverpool arsenal manchester mustang access14 bailey
michael1 1qazxsw2 zxcvbnm zxcvbn asdf asdfgh asdfasdf qazwsx qweasd qweasdzxc q1w2e3r4 q1w2e3r4t5
q1w2e3r4t5y6 1q2w3e 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u qwe123 qwer1234 qwert qwerty1 qwerty12
qwerty1234 qwerty12345 qwerty123456 qwertyuiop123 qwertyuiop1234 qwertyuiopasdfghjkl asdfghjkl123
zxcvbnm123 123qwe 123abc abc1234 abcd1234 abcdef abcdefg abcdefgh abcdefghijkl abc123456 a123456
a12345 aa123456 aa12345678 a1b2c3 a1b2c3d4 a1b2c3d4e5f6 1a2b3c4d 123456a 123456q 12345a 123456789a
1234qwer 12qwaszx 1111 11111 1111111 11111111 111111111 1111111111 111111111111 000000000 0000000000
00000000 0000 222222 333333 444444 555555 666666 777777 888888 999999 12341234 123412341234 112233
11223344 1122334455 121212121212 123123123 123123123123 123321123 147258369 159753 159357 1597530
147852 147258 258456 741852963 963852741 987654321 9876543210 98765432 987654 7777777 87654321
123456789012 1234567890123 12345678901 123456789123 12345678910 1234567891 0123456789 01234567890
0987654321 123654 123654789 654321654321 696969 6969 420420 31415926 3141592653 2000 1990 1991 1992
1993 1994 1995 1996 1997 1998 1999 2001 2002 2003 2004 2005 2010 2020 2021 2022 2023 2024 2025
password12 password123 password1234 password12345 password123456 password! password1! password123!
password2 password3 passwordpassword password01 password99 mypassword mypassword123 newpassword
changeme changeme123 changeit default letmein123 letmein1 welcome1 welcome123 welcome1234
welcome2024 welcometo admin1 admin12 admin123 admin1234 admin12345 administrator1 root root123 toor
guest guest123 user user123 login login123 temp temp123 temppass test1 test1234 testing testing123
demo sample qwerty! iloveyou1 iloveyou12 iloveyou123 iloveyou1234 iloveu iloveyou2 ilovegod lovelove
loveyou lover lovers babygirl baby babylove sweety sweetie sweetheart angel angels angel1 princess1
prince butterfly rainbow daisy lucky lucky7 love123 monkey1 monkey123 dragon1 dragon123 master1
master123 shadow1 sunshine1 football1 baseball1 superman1 batman1 spiderman ironman pokemon pikachu
naruto minecraft fortnite roblox zelda starwars1 matrix gandalf frodo hobbit harrypotter hogwarts
letmeinplease trustno1trustno1 whatever1 nothing nopassword secret123 secret1 mysecret private
security secure password0 jesus jesus1 god godisgood blessed faith christ heaven hallelujah
michael123 jessica1 ashley1 nicole1 daniel1 anthony joseph david james john johnny jack jackson
charles richard steven stephen chris christopher brandon justin kevin jason eric ryan tyler alex
alexander andrea anna maria mary sarah samantha emily emma olivia sophie hannah lauren melissa
elizabeth heather rachel rebecca amber diamond crystal jasper oliver max buddy rocky bella molly
lucy chloe coco cookie peanut snoopy scooby garfield tiger lion eagle falcon cowboy cowboys eagles
steelers patriots packers giants lakers bulls yankees1 redsox barcelona realmadrid juventus chelsea1
arsenal1 liverpool1 manutd united england america canada mexico london paris berlin chicago boston
newyork california florida texas hello123 hello1 helloworld hellokitty hi hey goodbye asshole bitch
shit fuck fuckyou1 sex sexy sexy123 pussy dick penis porn playboy hottie hotstuff bigdick money
money123 cash rich gold golden silver1 platinum diamond1 ferrari porsche bmw audi honda toyota
nissan jaguar harley1 yamaha ducati camaro mustang1 corvette1 chevy ford dodge jeep computer1
internet google facebook yahoo hotmail gmail microsoft windows apple macbook iphone samsung android
linux ubuntu oracle mysql database server network system cisco router wifi wireless office business
company manager teacher student school college university doctor nurse hospital medical health
patient pharmacy medvault summer1 summer123 summer2024 winter winter1 winter123 spring autumn fall
january february march april may june july august september october november december monday friday
sunday weekend holiday christmas birthday happy happy123 happyday smile funny cool awesome amazing
beautiful pretty cute blue red green black white purple yellow pink orange1 apple123 banana cherry
strawberry chocolate coffee pizza cheese1 butter cookie1 candy sugar honey music guitar piano rock
rockstar rockyou metallica nirvana slipknot eminem justinbieber onedirection beatles elvis madonna
michaeljackson soccer1 hockey1 tennis golf golfer basketball volleyball boxing runner fishing
hunting hunter1 killer1 ninja samurai warrior viking knight king queen kingkong godzilla dragonball
dragonfly phoenix thunder lightning storm rain snow ocean beach surfer sunset moon star stars galaxy
universe planet earth nature forest mountain river flower1 rose lily tulip garden family friends
friend forever together always destiny dream dreams magic wizard mickey mickeymouse minnie donald
disney barbie ken kitty kitten puppy doggy dog cat cats dogs horse fish bird bear panda monkeyman
zxcvbnm1 asdfgh1 qazwsxedc qazwsxedcrfv 1qaz2wsx3edc 1qaz2wsx3edc4rfv zaq1zaq1 zaq1xsw2 zaq1xsw2cde3
!qaz2wsx !qaz@wsx 1q2w3e4r! 1q2w3e4r5 qwertyui qwertyu asdfghjk asdfg zxcvb poiuytrewq lkjhgfdsa
mnbvcxz ytrewq q1w2e3 qwaszx asdzxc wasd passpass pass1234 pass12345 passpass123 abcabc abcabcabcabc
aaaaaa aaaaaaaaaaaa abc xxx xxxxxx zzzzzz asdasd qweqwe qwaszx12 asd123 zxc123 qaz123 123zxc 123asd
a1234567 qwerty7 1password 1234password password12345678 iloveyou! ihateyou fuckyou123 trustme
believe letmein! open opensesame sesame access123 master12 superstar superuser supervisor support
service helpdesk hr finance payroll marketing sales
`;

/** The list, lower-cased, 800 entries. */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter((w) => w.length > 0));

/** Whether `password` (any case) is on the bundled list. */
export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}
