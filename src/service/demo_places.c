/*
 * demo_places.c — the fixed tables of the demo generator (layer: service;
 * see demo_places.h). Pure data.
 *
 * The six county-level units of 银川市 and their townships are real, with
 * codes in the style of the national statistical division codes (街道
 * 0xx, 镇 1xx, 乡 2xx) and coordinates to within a few kilometres. The
 * villages and communities are partly real and partly invented; the
 * generator numbers them (社区 0xx, 村 2xx) and jitters their position
 * around the township's.
 */
#include "service/demo_places.h"

/* 兴庆区 640104 */
static const struct demo_place_town xingqing[] = {
	{"005", "解放西街街道", 38.4690, 106.2700, 0, "民族社区 西门社区 银湖社区 光明社区 宝湖社区"},
	{"006", "凤凰北街街道", 38.4820, 106.2620, 0, "凤凰社区 丽子园社区 北塔社区 兴庆府社区 湖滨社区"},
	{"007", "文化街街道", 38.4660, 106.2870, 0, "文化社区 南门社区 鼓楼社区 玉皇阁社区 明珠社区"},
	{"008", "富宁街街道", 38.4900, 106.3000, 0, "富宁社区 康乐社区 新华社区 东环社区"},
	{"010", "银古路街道", 38.5000, 106.2900, 0, "银古社区 海宝社区 北苑社区 大连社区 和谐社区"},
	{"011", "丽景街街道", 38.4600, 106.3200, 0, "丽景社区 滨河社区 康馨社区 湖畔社区 汇丰社区"},
	{"100", "掌政镇", 38.4400, 106.3700, 0, "掌政村 洼路村 永南村 孔雀村 强家庙村 杨家寨村 碱富桥村 五渡桥村"},
	{"101", "大新镇", 38.5150, 106.3300, 0, "大新村 燕鸽村 新水村 塔桥村 上前城村 马家寨村"},
	{"200", "通贵乡", 38.4050, 106.4300, 0, "通贵村 河滩村 司家桥村 通西村 通南村 通北村 扬水村"},
	{"201", "月牙湖乡", 38.3000, 106.5800, 0, "大河子村 塘南村 滨河家园一村 滨河家园二村 海陶北村 海陶南村"},
};

/* 西夏区 640105 */
static const struct demo_place_town xixia[] = {
	{"001", "朔方路街道", 38.4830, 106.1700, 0, "朔方社区 同心社区 开元社区 金波社区 兴民社区"},
	{"002", "文昌路街道", 38.4950, 106.1400, 0, "文昌社区 宁大社区 明清社区 泰和社区"},
	{"003", "北京西路街道", 38.5050, 106.1750, 0, "北京西路社区 丽园社区 西湖社区 芦花社区 锦绣社区"},
	{"004", "贺兰山西路街道", 38.5150, 106.1500, 0, "贺兰山社区 怀远社区 兴洲社区 西城社区"},
	{"005", "宁华路街道", 38.4700, 106.1500, 0, "宁华社区 枸杞社区 光华社区 学院社区"},
	{"100", "镇北堡镇", 38.6200, 106.0600, 1, "镇北堡村 华西村 吴苑村 德林村 昊苑村 团结村 镇朔村"},
	{"101", "兴泾镇", 38.4100, 106.1400, 1, "兴泾村 十里铺村 泾华村 泾龙村 兴盛村 红旗村"},
};

/* 金凤区 640106 */
static const struct demo_place_town jinfeng[] = {
	{"001", "满城北街街道", 38.4950, 106.2350, 0, "满城社区 枕水社区 阅海社区 海宝西社区 紫云社区"},
	{"002", "黄河东路街道", 38.4700, 106.2500, 0, "黄河社区 丽水社区 康平社区 锦华社区"},
	{"003", "长城中路街道", 38.4550, 106.2350, 0, "长城社区 温州社区 宏图社区 永康社区"},
	{"004", "北京中路街道", 38.4880, 106.2220, 0, "北京中路社区 正源社区 亲水社区 悦海社区 宁安社区"},
	{"005", "上海西路街道", 38.4750, 106.2050, 0, "上海西路社区 森林社区 湖城社区 兴安社区"},
	{"100", "良田镇", 38.4100, 106.2700, 0, "良田村 园子村 植物园村 和顺新村 光明村 银湖村"},
	{"101", "丰登镇", 38.5550, 106.2350, 1, "润丰村 新渠稍村 永新村 丰登村 平伏桥村 通达村"},
};

/* 永宁县 640121 */
static const struct demo_place_town yongning[] = {
	{"001", "团结西路街道", 38.2830, 106.2400, 0, "团结社区 利民社区 永宁社区 宁和社区 嘉园社区"},
	{"100", "杨和镇", 38.2800, 106.2550, 0, "王太村 观桥村 南方村 纳家户村 旺全村 红星村 惠丰村 东和村"},
	{"101", "李俊镇", 38.1950, 106.2050, 0, "李俊村 许桥村 宁化村 金沙村 魏团村 雷台村 东全村"},
	{"102", "望远镇", 38.3700, 106.3000, 0, "望远村 板桥村 永红村 通桥村 政权村 丰盈村 新联村"},
	{"103", "望洪镇", 38.1700, 106.3300, 0, "望洪村 东玉村 西玉村 新华村 增岗村 靖益村 农丰村"},
	{"104", "闽宁镇", 38.2600, 105.9900, 1, "福宁村 木兰村 武河村 园艺村 原隆村 玉海村"},
	{"200", "胜利乡", 38.3150, 106.2100, 1, "胜利村 烽火村 园林村 杨显村 八渠村 永丰村"},
};

/* 贺兰县 640122 */
static const struct demo_place_town helan[] = {
	{"001", "富兴街街道", 38.5500, 106.3400, 0, "富兴社区 兰花社区 南街社区 北街社区 银河社区"},
	{"100", "习岗镇", 38.5560, 106.3520, 0, "新平村 金星村 桃林村 习岗村 红星村 星光村 新胜村 高台村"},
	{"101", "金贵镇", 38.5600, 106.4600, 0, "银河村 关渠村 金贵村 通昌村 联星村 汉佐村 保南村 雄英村"},
	{"102", "立岗镇", 38.6800, 106.4200, 0, "兰光村 立岗村 通义村 和平村 民乐村 星火村 幸福村 永跃村"},
	{"103", "洪广镇", 38.7200, 106.2300, 1, "欣荣村 洪广村 金山村 广荣村 高荣村 金沙村 欣兴村"},
	{"200", "常信乡", 38.6300, 106.3200, 0, "四十里店村 常信村 丁北村 团结村 春林村 丁义村 张亮村"},
};

/* 灵武市 640181 */
static const struct demo_place_town lingwu[] = {
	{"001", "城区街道", 38.1030, 106.3380, 0, "北门社区 南门社区 西门社区 东门社区 长城社区 朔方社区"},
	{"100", "东塔镇", 38.0900, 106.3650, 0, "东塔村 园艺村 寺台子村 石坝村 新华桥村 南门村"},
	{"101", "郝家桥镇", 38.1500, 106.3000, 0, "郝家桥村 胡家堡村 狼皮子梁村 泾兴村 崔渠口村 吴桥村"},
	{"102", "崇兴镇", 38.1700, 106.3700, 0, "崇兴村 台子村 中北沙村 中南沙村 龙二村 杜木桥村"},
	{"103", "宁东镇", 38.1000, 106.6200, 0, "宁东村 鸳鸯湖村 杨家窑村 磁窑堡村 清水营村"},
	{"104", "马家滩镇", 37.8600, 106.6000, 0, "马家滩村 大羊场村 杜窑沟村 双疙瘩村"},
	{"105", "临河镇", 38.2600, 106.4800, 0, "临河村 二道沟村 上桥村 石沟驿村 水洞沟村 横城村"},
	{"200", "梧桐树乡", 38.0400, 106.2800, 0, "梧桐树村 沙坝头村 杨洪桥村 李家桥村 北滩村"},
	{"201", "白土岗乡", 37.9000, 106.3500, 0, "白土岗村 新火村 泾灵新村 灵新村 中坝村"},
};

#define NTOWNS(a) (sizeof(a) / sizeof((a)[0]))

/* The quotas add up to the report's 483 mentors. */
const struct demo_place_county demo_place_counties[DEMO_PLACE_NCOUNTIES] = {
	{"640104", "兴庆区", 38.4680, 106.2880, 78, xingqing, NTOWNS(xingqing)},
	{"640105", "西夏区", 38.4920, 106.1620, 60, xixia, NTOWNS(xixia)},
	{"640106", "金凤区", 38.4730, 106.2430, 62, jinfeng, NTOWNS(jinfeng)},
	{"640121", "永宁县", 38.2800, 106.2530, 95, yongning, NTOWNS(yongning)},
	{"640122", "贺兰县", 38.5540, 106.3490, 96, helan, NTOWNS(helan)},
	{"640181", "灵武市", 38.1020, 106.3400, 92, lingwu, NTOWNS(lingwu)},
};

/* Source types, person categories and talent teams are the report's;
 * the domains are those the report names or implies. */
const struct demo_place_vocab demo_place_vocab[] = {
	{"source", "veteran_cadre", "老乡镇老先进"},
	{"source", "village_secretary", "优秀村党组织书记"},
	{"source", "wealth_leader", "致富能人"},
	{"source", "model_exemplar", "先进模范"},
	{"source", "first_secretary", "第一书记"},
	{"source", "work_team", "驻村工作队员"},
	{"source", "enterprise_head", "企业负责人"},
	{"category", "new_township_cadre", "近2年新到乡镇工作的年轻干部(含选调生)"},
	{"category", "new_work_team", "新选派的驻村工作队员"},
	{"category", "weak_village_secretary", "软弱涣散村和后进村党组织书记"},
	{"category", "new_township_leader", "新任职的乡镇(街道)领导班子成员"},
	{"category", "new_village_secretary", "新任职村(社区)党组织书记"},
	{"category", "township_young_cadre", "乡镇(街道)年轻干部"},
	{"category", "retained_secretary", "留任村党组织书记"},
	{"category", "reserve_force", "农村后备力量"},
	{"domain", "party_building", "党建引领"},
	{"domain", "grassroots_governance", "基层治理"},
	{"domain", "collective_economy", "集体经济"},
	{"domain", "crop_planting", "种植技术"},
	{"domain", "wine_making", "葡萄酒酿造"},
	{"domain", "rural_tourism", "乡村旅游"},
	{"domain", "emergency", "应急处置"},
	{"domain", "animal_husbandry", "畜牧养殖"},
	{"domain", "ecommerce", "电商销售"},
	{"domain", "petition_mediation", "信访调解"},
	{"domain", "project_management", "项目管理"},
	{"domain", "policy_implementation", "政策落实"},
	{"talent_team", "village_cadres", "村干部队伍"},
	{"talent_team", "reserve_talent", "后备力量队伍"},
	{"talent_team", "party_members", "农村党员队伍"},
	{"talent_team", "wealth_leaders", "致富带头人队伍"},
	{"talent_team", "skilled_workers", "技能人才队伍"},
	{"talent_team", "returnee", "返乡创业人才队伍"},
};
const size_t demo_place_nvocab = sizeof(demo_place_vocab) / sizeof(demo_place_vocab[0]);

/* Common surnames, weighted roughly by their frequency in Ningxia (马, 丁,
 * 纳, 海, 拜 are frequent among the Hui). */
const struct demo_place_weighted demo_place_surnames[] = {
	{"王", 90}, {"李", 80}, {"张", 75}, {"马", 70}, {"刘", 60}, {"杨", 50},
	{"陈", 30}, {"赵", 28}, {"周", 18}, {"吴", 15}, {"徐", 14}, {"孙", 15},
	{"高", 15}, {"何", 10}, {"郭", 14}, {"胡", 12}, {"朱", 10}, {"罗", 8},
	{"梁", 8}, {"韩", 10}, {"冯", 8}, {"田", 10}, {"丁", 12}, {"白", 9},
	{"金", 6}, {"纳", 6}, {"海", 5}, {"苏", 8}, {"魏", 8}, {"杜", 7},
	{"黄", 10}, {"袁", 5}, {"贾", 7}, {"许", 6}, {"曹", 7}, {"邓", 5},
	{"彭", 4}, {"唐", 5}, {"宋", 7}, {"董", 7}, {"于", 6}, {"蒋", 4},
	{"余", 4}, {"叶", 3}, {"程", 5}, {"吕", 5}, {"任", 6}, {"姚", 4},
	{"卢", 4}, {"姜", 5}, {"崔", 5}, {"石", 5}, {"范", 5}, {"方", 3},
	{"雷", 5}, {"侯", 5}, {"郝", 6}, {"薛", 5}, {"闫", 6}, {"段", 5},
	{"武", 5}, {"康", 4}, {"贺", 5}, {"孟", 5}, {"秦", 4}, {"常", 4},
	{"拜", 3}, {"哈", 2}, {"虎", 3}, {"沙", 2}, {"锁", 2}, {"景", 2},
	{"尤", 1}, {"保", 2}, {"蔡", 3}, {"潘", 3}, {"童", 1},
};
const size_t demo_place_nsurnames = sizeof(demo_place_surnames) / sizeof(demo_place_surnames[0]);

const char demo_place_male_chars[] =
	"伟强军平东明刚勇俊杰磊涛斌超鹏辉华建国兴文武林海峰波宁福贵春成志德学宏亮飞龙新"
	"忠生永才发祥宝荣鑫浩宇博帅晨阳振江山川虎彪鸿毅锋睿泽然凯庆瑞彬乐喜玉金";
const char demo_place_female_chars[] =
	"芳娟敏静丽艳霞燕玲红梅兰英秀琴萍慧婷雪晶洁莉娜倩琳颖璐佳欣月悦瑶蕾薇露雯宁花凤"
	"桂琼蓉菊清怡然茜茹琪妍娇媛丹彤萌瑾珊晓春";

const char *const demo_place_brands[] = {
	"贺麓", "沙泉", "金樽", "鹤泉", "紫塞", "银麓", "朔方", "宁韵", "塞上", "贺东",
	"兰山", "金沙湾", "西夏红", "金岸", "丰谷", "绿源", "禾丰", "沃野", "盛源", "瑞丰",
	"金穗", "宏达", "康源", "鑫农", "惠农", "宁丰", "润禾", "青禾", "嘉禾", "兴农",
	"源丰", "恒通", "天润", "宝丰", "北方", "峰岭", "云峰", "长河", "河湾", "沙湖",
	"银川红", "凤城", "塞北", "沙坡", "宁安", "宁馨", "晟农", "田园", "稻香", "渠畔",
	"玉泉", "汉延", "唐徕", "惠民", "丰泽", "启元", "德润", "新禾", "金麦", "众和",
};
const size_t demo_place_nbrands = sizeof(demo_place_brands) / sizeof(demo_place_brands[0]);

const struct demo_place_industry demo_place_industries[] = {
	{"葡萄酒庄", {"wine_making", "rural_tourism", "ecommerce"}, 1},
	{"葡萄种植", {"wine_making", "crop_planting", "collective_economy"}, 1},
	{"农业科技", {"crop_planting", "collective_economy", "ecommerce"}, 0},
	{"农牧", {"animal_husbandry", "collective_economy", NULL}, 0},
	{"枸杞", {"crop_planting", "ecommerce", NULL}, 0},
	{"蔬菜产销", {"crop_planting", "collective_economy", "ecommerce"}, 0},
	{"电子商务", {"ecommerce", "project_management", NULL}, 0},
	{"乳业", {"animal_husbandry", "project_management", NULL}, 0},
	{"文化旅游", {"rural_tourism", "project_management", NULL}, 0},
	{"建设工程", {"project_management", "emergency", NULL}, 0},
	{"滩羊养殖", {"animal_husbandry", "ecommerce", NULL}, 0},
	{"稻渔生态", {"crop_planting", "animal_husbandry", "rural_tourism"}, 0},
};
const size_t demo_place_nindustries = sizeof(demo_place_industries) / sizeof(demo_place_industries[0]);

const char *const demo_place_city_units[] = {
	"市委组织部", "市委宣传部", "市发展改革委", "市财政局", "市农业农村局",
	"市自然资源局", "市住房城乡建设局", "市水务局", "市卫生健康委", "市民政局",
	"市人力资源社会保障局", "市市场监管局", "市生态环境局", "市文化旅游广电局", "市商务局",
	"自治区农业农村厅", "自治区财政厅", "自治区乡村振兴局", "宁夏大学", "宁夏医科大学总医院",
};
const size_t demo_place_ncity_units = sizeof(demo_place_city_units) / sizeof(demo_place_city_units[0]);

/* "贺兰县" + "委组织部" = "贺兰县委组织部". */
const char *const demo_place_county_units[] = {
	"委组织部", "农业农村局", "财政局", "自然资源局", "水务局", "民政局",
	"卫生健康局", "教育局", "交通运输局", "市场监管局", "人社局", "商务和信息化局",
};
const size_t demo_place_ncounty_units = sizeof(demo_place_county_units) / sizeof(demo_place_county_units[0]);

const struct demo_place_weighted demo_place_honours[] = {
	{"全区优秀共产党员", 30}, {"全市优秀共产党员", 40}, {"自治区劳动模范", 15},
	{"银川市劳动模范", 25}, {"全国劳动模范", 3}, {"全区优秀党务工作者", 12},
	{"全市优秀党务工作者", 18}, {"全国优秀共产党员", 2}, {"全区三八红旗手", 5},
};
const size_t demo_place_nhonours = sizeof(demo_place_honours) / sizeof(demo_place_honours[0]);
